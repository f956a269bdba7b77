using SandboxAgents.Runs.Iterations;

namespace SandboxAgents.Runs;

/// <summary>One run as the grain persists it. Holds no secret: tokens and keys are given to the sandbox, never kept.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.RunRecord")]
public sealed partial class RunRecord
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
    /// <summary>Bumped on every change the status comment or the registry shows; each effect records the version it last told.</summary>
    [Id(20)] public int Version { get; set; }
    [Id(22)] public List<string> LogTail { get; set; } = [];
    [Id(23)] public int FailedAttempts { get; set; }
    [Id(24)] public string? BaseBranch { get; set; }
    [Id(25)] public int? PullRequestNumber { get; set; }
    [Id(26)] public int? RunnerExitCode { get; set; }

    /// <summary>While queued for want of capacity: not to be tried again before this time.</summary>
    [Id(28)] public DateTimeOffset? RetryAt { get; set; }

    /// <summary>The version the run registry last recorded (<see cref="RegistryEffect"/>).</summary>
    [Id(29)] public int RegistryVersion { get; set; }

    /// <summary>Hosts the sandbox's egress proxy refused to connect to, in the order first seen (agent-chosen text: untrusted).</summary>
    [Id(34)] public List<string> BlockedHosts { get; set; } = [];

    /// <summary>The commit the run starts from (the head of <see cref="BaseBranch"/> when it was prepared).</summary>
    [Id(35)] public string? BaseCommit { get; set; }

    /// <summary>GitHub took the service's access to the repository away (the App uninstalled, say): the comment is no longer written.</summary>
    [Id(39)] public bool GitHubAccessWithdrawn { get; set; }

    /// <summary>Who the run's commit names, decided when it is first made (see <see cref="CommitAttributor"/>).</summary>
    [Id(40)] public CommitAttribution? Attribution { get; set; }

    /// <summary>The settings the run goes by; null only for a run stored before they were kept, until it is loaded.</summary>
    [Id(41)] public RunSettings? StoredSettings { get; set; }

    [Id(42)] public StatusCommentState Comment { get; set; } = new();

    [Id(43)] public QueuePlace Queue { get; set; } = new();

    /// <summary>The setup and validate commands as the runner reported them, in the order they ran.</summary>
    [Id(44)] public List<CheckSummary> Checks { get; set; } = [];

    /// <summary>The limit the run stopped at with work to show: its pull request is a draft marked incomplete.</summary>
    [Id(45)] public string? IncompleteBecause { get; set; }

    /// <summary>The agent's tool calls as the service saw them, oldest first (capped).</summary>
    [Id(46)] public List<AgentStep> Steps { get; set; } = [];

    /// <summary>The run's redacted transcript is kept as an artifact.</summary>
    [Id(47)] public bool TranscriptKept { get; set; }

    /// <summary>When the service asked the agent to stop at the deadline (uploaded <c>.agent-run/stop</c>); null: it never did.</summary>
    [Id(48)] public DateTimeOffset? StopRequestedAt { get; set; }

    /// <summary>The web page of the run's branch, once it is pushed (linked from the comment when there is no pull request to show).</summary>
    [Id(49)] public string? BranchUrl { get; set; }

    /// <summary>
    /// The setup's variables went into the sandbox: a replay of the start must not send them again, as the runner may
    /// already have deleted them and started the agent, which would find them.
    /// </summary>
    [Id(50)] public bool SetupEnvironmentSent { get; set; }

    /// <summary>The model the command named (<c>/agent run --model</c>): it wins over the repository's file.</summary>
    [Id(55)] public string? RequestedModel { get; set; }

    /// <summary>Where the run's settings came from and what the service's ceilings lowered, for the next transition's note.</summary>
    [Id(56)] public string? SettingsNote { get; set; }

    /// <summary>For an iteration (a follow-up run on a pull request an earlier run opened): that pull request's number.</summary>
    [Id(57)] public int? IteratesOn { get; set; }

    /// <summary>1 for the run that opens a pull request, 2 for its first follow-up, and so on.</summary>
    [Id(58)] public int Iteration { get; set; } = 1;

    /// <summary>For an iteration: the feedback its task is made of, read when it was queued.</summary>
    [Id(59)] public IterationFeedback? Feedback { get; set; }

    /// <summary>Instructions sent while the run was active, oldest first; the sandbox holds the first <see cref="MessagesSent"/>.</summary>
    [Id(60)] public List<SteeringMessage> Messages { get; set; } = [];
    [Id(61)] public int MessagesSent { get; set; }

    /// <summary>For an iteration: its one comment on the pull request, kept in step like the issue's.</summary>
    [Id(62)] public StatusCommentState PullRequestComment { get; set; } = new();

    /// <summary>The runner was started again to deliver messages that came after the agent had ended (its resume mode).</summary>
    [Id(63)] public int Resumes { get; set; }

    public DateTimeOffset CreatedAt => Transitions[0].At;

    public DateTimeOffset? StartedAt => Transitions.FirstOrDefault(t => t.State == RunState.Provisioning)?.At;

    public DateTimeOffset? EndedAt => State.IsTerminal() ? Transitions[^1].At : null;

    /// <summary>A sandbox may exist for this run (it got as far as asking for one) and is not yet confirmed deleted.</summary>
    public bool NeedsSandboxCleanup => !SandboxDeleted && (SandboxId is not null || StartedAt is not null);

    /// <summary>The settings the run goes by, resolved when it was queued.</summary>
    public RunSettings Settings => StoredSettings ?? throw new InvalidOperationException($"Run {RunId} has no settings.");

    /// <summary>True when every validate command passed, false when one failed, null when none ran.</summary>
    public bool? Verified => CheckSummary.Verified(Checks);

    /// <summary>Something the status comment or the registry shows has changed.</summary>
    public void Changed() => Version++;

    public RunSummary ToSummary() => new(
        RunId, State, Source, RequestedBy, SandboxId, SandboxDeleted, Branch, CommitSha, PullRequestUrl, Error, CostUsd, Turns,
        [.. Transitions], [.. BlockedHosts], Comment.Stale, StoredSettings?.Model, [.. Checks], IncompleteBecause, [.. Steps], TranscriptKept,
        PullRequestNumber, Iteration, [.. Messages]);
}
