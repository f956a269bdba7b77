namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// A pull request the issue's runs opened, as the issue's grain keeps it: what its iterations have read and pushed,
/// and what may start the next one. Reviews and failing checks only ever act on pull requests listed here.
/// </summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.Iterations.AgentPullRequest")]
public sealed class AgentPullRequest
{
    [Id(0)] public int Number { get; set; }
    [Id(1)] public string Url { get; set; } = "";
    [Id(2)] public string Branch { get; set; } = "";

    /// <summary>Iterations started on it after the run that opened it (that run is iteration 1).</summary>
    [Id(3)] public int Iterations { get; set; }

    /// <summary>The commits the service pushed to the branch, oldest first: a head that is not among them was pushed by someone else.</summary>
    [Id(4)] public List<string> OwnCommits { get; set; } = [];

    /// <summary>The newest review and review comment ids read into an iteration: feedback up to them is not acted on again.</summary>
    [Id(5)] public long ReviewsReadThrough { get; set; }
    [Id(6)] public long CommentsReadThrough { get; set; }

    /// <summary>Fix runs started for failing checks, and the head commits they were started for (one fix per head).</summary>
    [Id(7)] public int FixAttempts { get; set; }
    [Id(8)] public List<string> FixedHeads { get; set; } = [];

    /// <summary><c>/agent autofix off</c> was given: failing checks no longer start fix runs.</summary>
    [Id(9)] public bool AutofixOff { get; set; }

    /// <summary>Someone other than the service pushed to the branch: fixes stop, as the branch is no longer only the agent's.</summary>
    [Id(10)] public DateTimeOffset? HumanPushedAt { get; set; }

    /// <summary>The pull request was told, once, that fixing gave up at the cap.</summary>
    [Id(11)] public bool GaveUpSaid { get; set; }

    /// <summary>What asked for the next iteration, waiting until the issue has no active run.</summary>
    [Id(12)] public PendingIteration? Pending { get; set; }

    /// <summary>One line per iteration for the pull request's description, oldest first.</summary>
    [Id(13)] public List<string> Log { get; set; } = [];

    public IssueKey Key(IssueKey issue) => new(issue.Owner, issue.Repository, Number);

    public string? Head => OwnCommits.Count == 0 ? null : OwnCommits[^1];
}
