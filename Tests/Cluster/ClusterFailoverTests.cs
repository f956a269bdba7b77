using SandboxAgents.Tests.Durability;
using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Cluster;

/// <summary>
/// The cluster profile on a real Redis (127.0.0.1:6379, started by .ci/run): two silo-only processes and one
/// gateway-only process. The silo holding a running run's grain is killed; the run finishes on the survivor.
/// </summary>
public sealed class ClusterFailoverTests : IAsyncLifetime
{
    private const string Secret = "cluster-webhook-secret";
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sandbox-agents-cluster-");
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

    private Dictionary<string, string> Settings(string role, string cluster)
    {
        var agents = Path.Combine(AppContext.BaseDirectory, "EndToEnd", "Agents");
        return new Dictionary<string, string>
        {
            ["Service:Role"] = role,
            ["Storage:Provider"] = "redis",
            ["Redis:ConnectionString"] = "127.0.0.1:6379",
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:ServiceId"] = cluster,
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
        };
    }

    [Fact]
    public async Task SiloHoldingARunningRun_Killed_RunFinishesOnTheSurvivor()
    {
        var cluster = "failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = new ServiceProcess(Settings("silo", cluster));
        await using var second = new ServiceProcess(Settings("silo", cluster));
        await using var gateway = new ServiceProcess(Settings("gateway", cluster));
        await first.StartAsync();
        await second.StartAsync();
        await gateway.StartAsync();

        await ServiceHttp.SendLabeledAsync(gateway.Url, Secret, 1, "Survive a failover [slow-edit]");

        var running = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(gateway.Url, 1), t => t?["state"]?.GetValue<string>() == "Running", "running", TimeSpan.FromSeconds(60));
        var host = running!["host"]!.GetValue<string>();
        var (victim, survivor) = host.Contains($":{first.SiloPort}:", StringComparison.Ordinal) ? (first, second) : (second, first);
        Assert.Contains($":{victim.SiloPort}:", host, StringComparison.Ordinal);
        await victim.KillAsync();

        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(gateway.Url, 1),
            t => t?["state"]?.GetValue<string>() == "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "finished on the survivor", TimeSpan.FromSeconds(120));

        Assert.Contains($":{survivor.SiloPort}:", done!["host"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(_gitHub.PullRequestsFor("octo/widgets"));
        Assert.Contains("Fixed slowly.", _git.Show(done["branch"]!.GetValue<string>(), "README.md"));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_root.FullName, "sandboxes")));
    }
}
