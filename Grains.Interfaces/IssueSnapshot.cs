namespace SandboxAgents;

/// <summary>
/// What an issue's grain shows the outside: its latest run's state, the history of runs, and the last lines the
/// current run printed (secrets redacted), and which silo holds the issue's grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.IssueSnapshot")]
public sealed record IssueSnapshot(
    [property: Id(0)] string Key,
    [property: Id(1)] RunState State,
    [property: Id(2)] string? RunId,
    [property: Id(3)] string? SandboxId,
    [property: Id(4)] string? Branch,
    [property: Id(5)] string? PullRequestUrl,
    [property: Id(6)] string? Error,
    [property: Id(7)] IReadOnlyList<RunSummary> History,
    [property: Id(8)] int PendingCommands,
    [property: Id(9)] IReadOnlyList<string> LogTail,
    [property: Id(10)] string? Host = null);

/// <summary>
/// One run as the history shows it, newest last. <see cref="BlockedHosts"/>: hosts its sandbox's network filter refused.
/// <see cref="CommentStale"/>: GitHub refused the run's status comment for longer than the service retries it, so the
/// comment on the issue may not tell the run's truth.
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.RunSummary")]
public sealed record RunSummary(
    [property: Id(0)] string RunId,
    [property: Id(1)] RunState State,
    [property: Id(2)] CommandSource Source,
    [property: Id(3)] string RequestedBy,
    [property: Id(4)] string? SandboxId,
    [property: Id(5)] bool SandboxDeleted,
    [property: Id(6)] string? Branch,
    [property: Id(7)] string? CommitSha,
    [property: Id(8)] string? PullRequestUrl,
    [property: Id(9)] string? Error,
    [property: Id(10)] decimal? CostUsd,
    [property: Id(11)] int? Turns,
    [property: Id(12)] IReadOnlyList<StateChange> Transitions,
    [property: Id(13)] IReadOnlyList<string>? BlockedHosts = null,
    [property: Id(14)] bool CommentStale = false,
    [property: Id(15)] string? Model = null,
    [property: Id(16)] IReadOnlyList<CheckSummary>? Checks = null,
    [property: Id(17)] string? IncompleteBecause = null,
    [property: Id(18)] IReadOnlyList<AgentStep>? Steps = null,
    [property: Id(19)] bool TranscriptKept = false,
    [property: Id(20)] int? PullRequestNumber = null,
    [property: Id(21)] int Iteration = 1,
    [property: Id(22)] IReadOnlyList<SteeringMessage>? Messages = null)
{
    /// <summary>True when every validate command passed, false when one failed, null when none ran ("not validated").</summary>
    public bool? Verified => CheckSummary.Verified(Checks);
}

/// <summary>A state a run entered, when, and why.</summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.StateChange")]
public sealed record StateChange(
    [property: Id(0)] RunState State,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Note);
