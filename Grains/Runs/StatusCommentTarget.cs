namespace SandboxAgents.Runs;

/// <summary>
/// Where a <see cref="StatusCommentEffect"/> writes: every run's comment on its issue, and an iteration's second one on
/// the pull request it works on, each with its own <see cref="StatusCommentState"/>.
/// </summary>
public sealed class StatusCommentTarget
{
    public static readonly StatusCommentTarget Issue = new(run => run.Comment, _ => true, (issue, _) => issue);

    public static readonly StatusCommentTarget PullRequest = new(
        run => run.PullRequestComment,
        run => run.IteratesOn is not null,
        (issue, run) => new IssueKey(issue.Owner, issue.Repository, run.IteratesOn!.Value));

    private readonly Func<RunRecord, StatusCommentState> _state;
    private readonly Func<RunRecord, bool> _applies;
    private readonly Func<IssueKey, RunRecord, IssueKey> _where;

    private StatusCommentTarget(Func<RunRecord, StatusCommentState> state, Func<RunRecord, bool> applies, Func<IssueKey, RunRecord, IssueKey> where) =>
        (_state, _applies, _where) = (state, applies, where);

    public StatusCommentState StateOf(RunRecord run) => _state(run);

    /// <summary>The run has a comment here at all.</summary>
    public bool Applies(RunRecord run) => _applies(run);

    /// <summary>The issue or pull request the comment is on (GitHub numbers both alike).</summary>
    public IssueKey Where(IssueKey issue, RunRecord run) => _where(issue, run);
}
