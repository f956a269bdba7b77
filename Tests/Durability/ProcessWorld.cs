using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// What a test of the service as separate processes stands on: a temp folder, a fake GitHub, a real bare repository,
/// and the settings that point the service at them (local sandboxes, the scripted agent, fast polling and watchdog).
/// </summary>
public sealed class ProcessWorld : IAsyncDisposable
{
    public const string Secret = "process-webhook-secret";

    private ProcessWorld(DirectoryInfo root, FakeGitHubServer gitHub, BareRepository git) => (Root, GitHub, Git) = (root, gitHub, git);

    public DirectoryInfo Root { get; }
    public FakeGitHubServer GitHub { get; }
    public BareRepository Git { get; }
    public string SandboxRoot => Path.Combine(Root.FullName, "sandboxes");

    public static async Task<ProcessWorld> CreateAsync()
    {
        var root = OpenTempFolder.Create("sandbox-agents-process-");
        var gitHub = await FakeGitHubServer.StartAsync();
        return new ProcessWorld(root, gitHub, BareRepository.Create(Path.Combine(root.FullName, "git"), "octo", "widgets"));
    }

    public Dictionary<string, string> Settings()
    {
        var agents = OpenTempFolder.Agents();
        return new Dictionary<string, string>
        {
            ["GitHub:WebhookSecret"] = Secret,
            ["Api:Key"] = ServiceHttp.OperatorKey,
            ["GitHub:Token"] = FakeGitHubServer.Token,
            ["GitHub:ApiUrl"] = GitHub.BaseUrl.ToString(),
            ["GitHub:GitUrl"] = new Uri(Path.Combine(Root.FullName, "git") + "/").AbsoluteUri,
            ["Agent:Command"] = $"bash {Path.Combine(agents, "scripted-agent.sh")}",
            ["Sandbox:Local:Root"] = SandboxRoot,
            ["Sandbox:Local:ReadOnlyPaths:0"] = agents,
            ["Storage:Path"] = Path.Combine(Root.FullName, "data"),
            ["Runs:PollInterval"] = "00:00:00.200",
            ["Runs:WatchdogPeriod"] = "00:00:02",
            ["Orleans:ClusterId"] = "process-" + Guid.NewGuid().ToString("N")[..8],
        };
    }

    /// <summary>
    /// Waits until the issue's one status comment says <paramref name="word"/>. A run's state can be read while its
    /// tick is still under way (snapshots interleave), and the comment is written at the end of that tick.
    /// </summary>
    public Task FinalCommentAsync(int number, string word) =>
        Eventually.TrueAsync(() => GitHub.CommentsOn("octo/widgets", number) is [var comment] && comment["body"]!.GetValue<string>().Contains(word, StringComparison.Ordinal),
            $"the status comment of #{number} to say '{word}'");

    public async ValueTask DisposeAsync()
    {
        await GitHub.DisposeAsync();
        Root.Delete(recursive: true);
    }
}
