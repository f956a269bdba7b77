using Microsoft.Extensions.Options;

namespace SandboxAgents.Runs;

/// <summary>Decides a new run's <see cref="RunSettings"/>: today from the service's options, the same for every repository.</summary>
public sealed class RunSettingsResolver(IOptions<AgentOptions> agent, IOptions<RunOptions> runs)
{
    public RunSettings Resolve(IssueKey issue) => new(
        agent.Value.Command,
        agent.Value.Timeout,
        runs.Value.DraftPullRequests,
        runs.Value.MaxStepFailures,
        runs.Value.LogTailLines,
        WrapUpGrace: agent.Value.WrapUpGrace);
}
