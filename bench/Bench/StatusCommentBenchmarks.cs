using BenchmarkDotNet.Attributes;
using SandboxAgents.Runs;

namespace SandboxAgents.Bench;

/// <summary>Rendering an issue's status comment: a running run (written on every change) and a succeeded one with the agent's summary.</summary>
[MemoryDiagnoser]
public class StatusCommentBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);
    private readonly RunRecord _running = Run(RunState.Running);
    private readonly RunRecord _succeeded = Run(RunState.Succeeded);

    [Benchmark]
    public string Running() => StatusComment.Render(_running, "/agent", "https://dash.example/runs/1", Start.AddMinutes(3));

    [Benchmark]
    public string Succeeded() => StatusComment.Render(_succeeded, "/agent", "https://dash.example/runs/1", Start.AddMinutes(9));

    private static RunRecord Run(RunState state) => new()
    {
        RunId = "0123456789abcdef",
        State = state,
        Source = CommandSource.Label,
        RequestedBy = "maintainer",
        Issue = new IssueText("Fix the typo", "README says 'teh'."),
        Transitions = [new StateChange(RunState.Queued, Start, "Run by @maintainer"), new StateChange(RunState.Running, Start.AddMinutes(1), null), new StateChange(state, Start.AddMinutes(8), null)],
        LogTail = [.. Enumerable.Range(1, 20).Select(i => $"step {i}: edited src/File{i}.cs, ran the tests for @someone #12")],
        BlockedHosts = ["evil.example", "tracker.example"],
        AgentSummary = state == RunState.Succeeded ? string.Concat(Enumerable.Repeat("Fixed the typo in README (closes #12). Ran `make test`.\n", 40)) : null,
        PullRequestUrl = state == RunState.Succeeded ? "https://github.com/octo/widgets/pull/8" : null,
        CostUsd = 0.12m,
        Turns = 4,
    };
}
