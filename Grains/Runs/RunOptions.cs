namespace SandboxAgents.Runs;

/// <summary>Section <c>Runs</c>: how the service watches and publishes runs.</summary>
public sealed class RunOptions
{
    public const string SectionName = "Runs";

    /// <summary>Names this installation in sandbox labels, so it only ever touches its own sandboxes.</summary>
    public string InstanceId { get; set; } = "default";

    /// <summary>
    /// How many runs may hold a sandbox at once across the installation; the others wait in <c>Queued</c> in arrival
    /// order. 0 means no limit.
    /// </summary>
    public int MaxConcurrent { get; set; }

    /// <summary>
    /// How often the grain timer ticks while an issue has work. A running command is followed (its output comes as it
    /// is printed, and its end wakes the grain at once), so these ticks read no status: see
    /// <see cref="FallbackPollInterval"/>. A broken follow is started again a poll interval after it broke.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While a running command is followed, how old its last status read may grow before a tick reads it again, in
    /// case the follow missed its end. A sandbox's limits (<c>LimitExceeded</c>) and the hosts its network refused
    /// come only with a status read: they are seen at this pace, or when the command ends. Without a follow (it
    /// broke) the status is read at every tick.
    /// </summary>
    public TimeSpan FallbackPollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Period of the durable watchdog reminder (Orleans' minimum is one minute unless the silo lowers it).</summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Open pull requests as drafts, so a human reviews before anything merges.</summary>
    public bool DraftPullRequests { get; set; } = true;

    /// <summary>Runs kept in an issue's history.</summary>
    public int HistoryLength { get; set; } = 20;

    /// <summary>Consecutive failures of one step (a provider or GitHub fault) before the run is failed.</summary>
    public int MaxStepFailures { get; set; } = 5;

    /// <summary>How long a run waits in the queue before asking again when the sandbox backend has no capacity.</summary>
    public TimeSpan CapacityRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Least time between two edits of a status comment made only to show what the agent is doing now (state changes
    /// are written at once). GitHub limits content changes; see its secondary rate limits.
    /// </summary>
    public TimeSpan CommentRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a status comment that GitHub keeps refusing is retried (with backoff, and as rate limits allow) before
    /// the run is flagged <see cref="RunRecord.CommentStale"/>; an ended run then stops trying.
    /// </summary>
    public TimeSpan CommentRetryLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Fix runs started for failing checks on one pull request before the service gives up on it (and says so there).</summary>
    public int MaxFixAttempts { get; set; } = 3;

    /// <summary>Lines of the runner's output kept for the status comment and the API.</summary>
    public int LogTailLines { get; set; } = 20;

    /// <summary>The most of a run's transcript (the agent's output) kept; a larger one is refused with a note.</summary>
    public long MaxTranscriptBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How long a run's redacted transcript is kept (and served at <c>GET /api/tasks/…/runs/{runId}/transcript</c>).</summary>
    public TimeSpan TranscriptRetention { get; set; } = TimeSpan.FromDays(30);
}
