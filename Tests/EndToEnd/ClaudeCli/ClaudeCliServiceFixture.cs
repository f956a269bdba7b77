using System.Globalization;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes.Messages;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>
/// The service as CI runs it (local sandboxes under bubblewrap, as root, behind the egress proxy) with the real Claude
/// Code CLI as its default agent command, reaching a scripted Messages API only through the proxy's model route, which
/// adds the service's key. Tests choose the model's answers by a tag in the title.
/// </summary>
public sealed class ClaudeCliServiceFixture : LocalServiceFixture
{
    /// <summary>The service's <c>Agent:Model</c>: the CLI must ask for it, and the comment must name it.</summary>
    public const string AgentModel = "claude-sonnet-4-5";

    /// <summary>The service's <c>Agent:MaxTurns</c>: enough for the three-turn scripts, and a limit the endless model reaches fast.</summary>
    public const int MaxTurns = 3;

    /// <summary>The service's <c>Agent:MaxBudgetUsd</c>: a turn that reports a big output usage goes over it.</summary>
    public const decimal MaxBudgetUsd = 0.5m;

    public ScriptedMessagesApi Messages { get; private set; } = null!;

    public string GitRoot => Path.Combine(Root, "git");

    protected override async Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder)
    {
        Messages = await ScriptedMessagesApi.StartAsync();
        return new Dictionary<string, string>(await base.StartSandboxesAsync(agentsFolder))
        {
            ["Agent:Command"] = AgentOptions.DefaultCommand,
            ["Agent:ModelApiUrl"] = Messages.BaseUrl.ToString(),
            ["Agent:Model"] = AgentModel,
            ["Agent:MaxTurns"] = MaxTurns.ToString(CultureInfo.InvariantCulture),
            ["Agent:MaxBudgetUsd"] = MaxBudgetUsd.ToString(CultureInfo.InvariantCulture),
            ["Agent:WrapUpGrace"] = "00:00:20",
            ["Sandbox:Local:Isolation"] = "bubblewrap",
            ["Sandbox:Network"] = "proxy",
        };
    }

    protected override async ValueTask StopSandboxesAsync()
    {
        if (Messages is not null) await Messages.DisposeAsync();
        await base.StopSandboxesAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClaudeCliCollection : ICollectionFixture<ClaudeCliServiceFixture>
{
    public const string Name = "real Claude Code CLI, local sandboxes as root";
}
