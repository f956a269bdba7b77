namespace SandboxAgents.Runs;

/// <summary>One run as the grain persists it. Holds no secret: tokens and keys are given to the sandbox, never kept.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.RunRecord")]
public sealed class RunRecord
{
    [Id(0)] public string RunId { get; set; } = "";
    [Id(1)] public RunState State { get; set; }
    [Id(2)] public CommandSource Source { get; set; }
    [Id(3)] public string RequestedBy { get; set; } = "";
    [Id(4)] public IssueText Issue { get; set; } = new("", "");
    [Id(5)] public string? Instructions { get; set; }
    [Id(6)] public List<StateChange> Transitions { get; set; } = [];
    [Id(7)] public DateTimeOffset? Deadline { get; set; }
    [Id(8)] public string SandboxName { get; set; } = "";
    [Id(9)] public string? SandboxId { get; set; }
    [Id(10)] public bool SandboxDeleted { get; set; }
    [Id(11)] public string? CommandId { get; set; }
    [Id(12)] public string Branch { get; set; } = "";
    [Id(13)] public string? CommitSha { get; set; }
    [Id(14)] public string? PullRequestUrl { get; set; }
    [Id(15)] public string? Error { get; set; }
    [Id(16)] public decimal? CostUsd { get; set; }
    [Id(17)] public int? Turns { get; set; }
    [Id(18)] public string? AgentSummary { get; set; }
    [Id(19)] public long? StatusCommentId { get; set; }

    /// <summary>Bumped on every change the status comment shows; the comment is in sync when it has shown this version.</summary>
    [Id(20)] public int Version { get; set; }
    [Id(21)] public int CommentVersion { get; set; }
    [Id(22)] public List<string> LogTail { get; set; } = [];
    [Id(23)] public int FailedAttempts { get; set; }
    [Id(24)] public string? BaseBranch { get; set; }
    [Id(25)] public int? PullRequestNumber { get; set; }
    [Id(26)] public int? RunnerExitCode { get; set; }
    [Id(27)] public int CommentFailures { get; set; }

    /// <summary>While queued for want of capacity: not to be tried again before this time.</summary>
    [Id(28)] public DateTimeOffset? RetryAt { get; set; }

    /// <summary>The version the run registry last recorded.</summary>
    [Id(29)] public int RegistryVersion { get; set; }

    /// <summary>When the status comment was last written, and the agent activity it showed.</summary>
    [Id(30)] public DateTimeOffset? CommentedAt { get; set; }
    [Id(31)] public string? CommentedActivity { get; set; }

    /// <summary>The run's place in the run queue while it waits for a slot (1 = next), and whether it holds a slot.</summary>
    [Id(32)] public int? QueuePosition { get; set; }
    [Id(33)] public bool HoldsSlot { get; set; }

    /// <summary>Hosts the sandbox's egress proxy refused to connect to, in the order first seen (agent-chosen text: untrusted).</summary>
    [Id(34)] public List<string> BlockedHosts { get; set; } = [];

    /// <summary>The commit the run starts from (the head of <see cref="BaseBranch"/> when it was prepared).</summary>
    [Id(35)] public string? BaseCommit { get; set; }

    /// <summary>While the status comment cannot be written: when the failures began, and not to be tried again before when.</summary>
    [Id(36)] public DateTimeOffset? CommentFailingSince { get; set; }
    [Id(37)] public DateTimeOffset? CommentRetryAt { get; set; }

    /// <summary>
    /// The run ended, and its status comment has failed to be written for longer than <see cref="RunOptions.CommentRetryLimit"/>:
    /// what it says on GitHub is not the run's ending. Shown by the API and the dashboard; the run stops trying.
    /// </summary>
    [Id(38)] public bool CommentStale { get; set; }

    /// <summary>GitHub took the service's access to the repository away (the App uninstalled, say): the comment is no longer written.</summary>
    [Id(39)] public bool GitHubAccessWithdrawn { get; set; }

    /// <summary>Who the run's commit names, decided when it is first made (see <see cref="CommitAttributor"/>).</summary>
    [Id(40)] public CommitAttribution? Attribution { get; set; }

    public DateTimeOffset CreatedAt => Transitions[0].At;

    public DateTimeOffset? StartedAt => Transitions.FirstOrDefault(t => t.State == RunState.Provisioning)?.At;

    public DateTimeOffset? EndedAt => State.IsTerminal() ? Transitions[^1].At : null;

    /// <summary>A sandbox may exist for this run (it got as far as asking for one) and is not yet confirmed deleted.</summary>
    public bool NeedsSandboxCleanup => !SandboxDeleted && (SandboxId is not null || StartedAt is not null);

    /// <summary>
    /// Nothing is left to do for this run: it ended, its sandbox is gone, and the comment says so (or, flagged as
    /// <see cref="CommentStale"/>, GitHub refused it for longer than the service keeps trying; or GitHub took the
    /// service's access away, so there is nothing it could write).
    /// </summary>
    public bool IsSettled => State.IsTerminal() && !NeedsSandboxCleanup && !HoldsSlot && QueuePosition is null
        && (CommentVersion == Version || CommentStale || GitHubAccessWithdrawn);

    public RunSummary ToSummary() => new(
        RunId, State, Source, RequestedBy, SandboxId, SandboxDeleted, Branch, CommitSha, PullRequestUrl, Error, CostUsd, Turns,
        [.. Transitions], [.. BlockedHosts], CommentStale);
}
