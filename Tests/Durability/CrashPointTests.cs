using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// Kills the service (SIGKILL) at each step of a run, triggered by the request that step sends to Daytona or GitHub,
/// then starts it again on the same data folder. Every time the run reaches its true end, with one pull request at
/// most, one status comment, and no sandbox left.
/// </summary>
public sealed class CrashPointTests : IAsyncLifetime
{
    private ProcessWorld _world = null!;
    private FakeDaytonaServer _daytona = null!;

    public async Task InitializeAsync()
    {
        _world = await ProcessWorld.CreateAsync();
        _daytona = await FakeDaytonaServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _daytona.DisposeAsync();
        await _world.DisposeAsync();
    }

    public static TheoryData<string> Points =>
    [
        "after the create request",
        "after the sandbox id is stored",
        "as the runner starts",
        "while the agent runs",
        "after the push",
        "before the pull request",
        "during cleanup",
    ];

    private static bool IsPoint(string point, string method, string path) => point switch
    {
        "after the create request" => method == "POST" && path == "/api/sandbox",
        "after the sandbox id is stored" => method == "POST" && path.EndsWith("/files/bulk-upload", StringComparison.Ordinal),
        "as the runner starts" => method == "POST" && path.EndsWith("/exec", StringComparison.Ordinal),
        "while the agent runs" => method == "GET" && path.Contains("/command/", StringComparison.Ordinal) && !path.EndsWith("/logs", StringComparison.Ordinal),
        "after the push" => method == "GET" && path.Contains("/pulls?", StringComparison.Ordinal),
        "before the pull request" => method == "POST" && path.EndsWith("/pulls", StringComparison.Ordinal),
        "during cleanup" => method == "DELETE" && path.StartsWith("/api/sandbox/", StringComparison.Ordinal),
        _ => false,
    };

    private const string SlowAgent = "[slow-edit]";

    /// <summary>Only the kill while the agent works needs an agent that takes its time; the others cost no wait.</summary>
    private static string AgentFor(string point) => point == "while the agent runs" ? SlowAgent : "[edit]";

    private Dictionary<string, string> Settings() => DaytonaSettings(_world, _daytona);

    /// <summary>The process world's settings with the fake Daytona as the sandbox provider.</summary>
    internal static Dictionary<string, string> DaytonaSettings(ProcessWorld world, FakeDaytonaServer daytona)
    {
        var settings = world.Settings();
        settings[Hosting.SandboxProviderExtensions.DaytonaFlag] = "true";
        settings["Daytona:ApiUrl"] = daytona.ApiUrl.ToString();
        settings["Daytona:ApiKey"] = FakeDaytonaServer.ApiKey;
        settings["Daytona:StartPollInterval"] = "00:00:00.010";
        return settings;
    }

    [Theory]
    [MemberData(nameof(Points))]
    public async Task ServiceKilledAt_RestartedOnTheSameData_RunEndsOnce(string point)
    {
        var settings = Settings();
        var first = new ServiceProcess(settings);
        var killed = 0;
        async Task KillAtAsync(string method, string path)
        {
            if (IsPoint(point, method, path) && Interlocked.Exchange(ref killed, 1) == 0) await first.KillAsync();
        }

        _daytona.BeforeHandling = r => KillAtAsync(r.Method, r.PathAndQuery);
        _world.GitHub.BeforeHandling = r => KillAtAsync(r.Method, r.PathAndQuery);
        try
        {
            await first.StartAsync();
            await ServiceHttp.SendLabeledAsync(first.Url, ProcessWorld.Secret, 1, $"Crash me {AgentFor(point)}");
            await Eventually.TrueAsync(() => Volatile.Read(ref killed) == 1, $"the service killed {point}");
        }
        finally
        {
            await first.DisposeAsync();
            _daytona.BeforeHandling = null;
            _world.GitHub.BeforeHandling = null;
        }

        await using var second = new ServiceProcess(settings);
        await second.StartAsync();
        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(second.Url, 1),
            t => t?["state"]?.GetValue<string>() == "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), $"the true end after a crash {point}", TimeSpan.FromSeconds(90));

        await _world.FinalCommentAsync(1, "Done");
        Assert.Single(done!["history"]!.AsArray());
        Assert.Single(_world.GitHub.PullRequestsFor("octo/widgets"));
        Assert.Single(_world.GitHub.CommentsOn("octo/widgets", 1));
        Assert.Contains(AgentFor(point) == SlowAgent ? "Fixed slowly." : "Fixed by the agent.", _world.Git.Show(done["branch"]!.GetValue<string>(), "README.md"));
        await Eventually.TrueAsync(() => _daytona.LiveSandboxes.Count == 0, "no sandbox left");
    }

}
