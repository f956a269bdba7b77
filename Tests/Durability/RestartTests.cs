using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// The single-node service on its durable default (SQLite), killed with SIGKILL in the middle of a run and started
/// again with the README's command on the same data folder: the run's reminder brings its grain back, the grain finds
/// its sandbox, and the run reaches its true end exactly once.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private const string Secret = "restart-webhook-secret";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sandbox-agents-restart-");
    private FakeGitHubServer _gitHub = null!;
    private BareRepository _git = null!;

    public async Task InitializeAsync()
    {
        _gitHub = await FakeGitHubServer.StartAsync();
        _git = BareRepository.Create(Path.Combine(_root.FullName, "git"), "octo", "widgets");
    }

    public async Task DisposeAsync()
    {
        await _gitHub.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private Dictionary<string, string> Settings()
    {
        var agents = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Agents");
        return new Dictionary<string, string>
        {
            ["GitHub:WebhookSecret"] = Secret,
            ["GitHub:Token"] = FakeGitHubServer.Token,
            ["GitHub:ApiUrl"] = _gitHub.BaseUrl.ToString(),
            ["GitHub:GitUrl"] = new Uri(Path.Combine(_root.FullName, "git") + "/").AbsoluteUri,
            ["Agent:Command"] = $"bash {Path.Combine(agents, "scripted-agent.sh")}",
            ["Sandbox:Local:Root"] = Path.Combine(_root.FullName, "sandboxes"),
            ["Sandbox:Local:ReadOnlyPaths:0"] = agents,
            ["Storage:Path"] = Path.Combine(_root.FullName, "data"),
            ["Runs:PollInterval"] = "00:00:00.200",
            ["Runs:WatchdogPeriod"] = "00:00:02",
            ["Orleans:ClusterId"] = "restart-" + Guid.NewGuid().ToString("N")[..8],
        };
    }

    [Fact]
    public async Task KilledWhileRunning_RestartedOnTheSameData_FinishesTheRunOnce()
    {
        var settings = Settings();
        await using (var first = new ServiceProcess(settings))
        {
            await first.StartAsync();
            await ServiceHttp.SendLabeledAsync(first.Url, Secret, 1, "Survive a crash [slow-edit]");
            await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(first.Url, 1), t => t?["state"]?.GetValue<string>() == "Running", "running before the crash", TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }

        await using var second = new ServiceProcess(settings);
        await second.StartAsync();
        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(second.Url, 1),
            t => t?["state"]?.GetValue<string>() is "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "the run's true end after the restart", TimeSpan.FromSeconds(90));

        Assert.Single(done!["history"]!.AsArray());
        Assert.Single(_gitHub.PullRequestsFor("octo/widgets"));
        Assert.Single(_gitHub.CommentsOn("octo/widgets", 1));
        Assert.Contains("Fixed slowly.", _git.Show(done["branch"]!.GetValue<string>(), "README.md"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root.FullName, "sandboxes")));
    }
}
