using SandboxAgents.Runs.Iterations;

namespace SandboxAgents.Runs;

/// <summary>The persisted state of one issue's <see cref="SandboxGrain"/>.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.IssueState")]
public sealed class IssueState
{
    /// <summary>Runs, oldest first; the last one is the current run.</summary>
    [Id(0)] public List<RunRecord> Runs { get; set; } = [];

    /// <summary>Number of the last inbox command acted on (see <see cref="CommandInbox"/>).</summary>
    [Id(1)] public long LastCommand { get; set; }

    /// <summary>No GitHub request before this time: a rate limit said so (see <see cref="RunContext.PauseGitHub"/>).</summary>
    [Id(2)] public DateTimeOffset? GitHubPausedUntil { get; set; }

    /// <summary>Rate limits met in a row, for the backoff when GitHub does not say how long to wait.</summary>
    [Id(3)] public int GitHubLimitsInARow { get; set; }

    /// <summary>Failed permission lookups of the oldest pending command, and when to try the next.</summary>
    [Id(4)] public int PermissionAttempts { get; set; }
    [Id(5)] public DateTimeOffset? PermissionRetryAt { get; set; }

    /// <summary>The pull requests the runs opened, oldest first: reviews and checks on them start iterations.</summary>
    [Id(6)] public List<AgentPullRequest> PullRequests { get; set; } = [];

    public AgentPullRequest? PullRequest(int? number) => number is null ? null : PullRequests.Find(p => p.Number == number);

    public RunRecord? Current => Runs.Count == 0 ? null : Runs[^1];

    /// <summary>Drops the oldest settled runs beyond the history length; unsettled runs are always kept.</summary>
    public void TrimHistory(int keep, Func<RunRecord, bool> isSettled)
    {
        while (Runs.Count > keep && isSettled(Runs[0])) Runs.RemoveAt(0);
    }
}
