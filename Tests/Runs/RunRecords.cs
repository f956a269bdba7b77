using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

/// <summary>Run records in a given state, for rendering tests.</summary>
public static class RunRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    public static RunRecord In(RunState state, string? summary = null, string? error = null, IEnumerable<string>? blockedHosts = null, IEnumerable<string>? logTail = null) => new()
    {
        RunId = "0123456789abcdef",
        State = state,
        Source = CommandSource.Label,
        RequestedBy = "maintainer",
        Issue = new IssueText("Fix the typo", "README says 'teh'."),
        Transitions = [new StateChange(RunState.Queued, Start, "Run by @maintainer"), new StateChange(state, Start.AddMinutes(3), null)],
        AgentSummary = summary,
        Error = error,
        BlockedHosts = [.. blockedHosts ?? []],
        LogTail = [.. logTail ?? []],
        PullRequestUrl = state == RunState.Succeeded ? "https://github.com/octo/widgets/pull/8" : null,
        CostUsd = 0.12m,
        Turns = 4,
    };
}
