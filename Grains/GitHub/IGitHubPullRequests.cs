namespace SandboxAgents.GitHub;

/// <summary>
/// The port to GitHub's pull request, review and Checks APIs, as far as iterating on the agent's own pull request
/// needs them. A pull request is named by an <see cref="IssueKey"/> with its number (GitHub numbers both alike). Faults
/// throw as <see cref="IGitHubIssues"/> does; "not found" answers are values. Lists come oldest first, every page read.
/// </summary>
public interface IGitHubPullRequests
{
    /// <summary>The pull request as it stands, or null when there is none by that number.</summary>
    Task<PullRequestStatus?> GetAsync(IssueKey pullRequest, CancellationToken cancellationToken);

    /// <summary>Replaces the pull request's description. Idempotent.</summary>
    Task UpdateBodyAsync(IssueKey pullRequest, string body, CancellationToken cancellationToken);

    /// <summary>The pull request's submitted reviews (pending drafts are not listed by GitHub).</summary>
    Task<IReadOnlyList<PullRequestReview>> ListReviewsAsync(IssueKey pullRequest, CancellationToken cancellationToken);

    /// <summary>The comments on the pull request's diff, replies among them.</summary>
    Task<IReadOnlyList<ReviewComment>> ListReviewCommentsAsync(IssueKey pullRequest, CancellationToken cancellationToken);

    /// <summary>
    /// The check runs on <paramref name="headSha"/> that completed with a failing conclusion (failure, timed_out,
    /// action_required, cancelled, startup_failure), each with its output and its first annotations.
    /// </summary>
    Task<IReadOnlyList<FailedCheck>> ListFailedChecksAsync(IssueKey pullRequest, string headSha, CancellationToken cancellationToken);
}

/// <summary>A pull request's state: open or closed (and whether merged), its head branch and commit, and its description.</summary>
public sealed record PullRequestStatus(int Number, string Url, bool Open, bool Merged, string HeadRef, string HeadSha, string Body);

/// <summary>A submitted review: who, its state (<c>CHANGES_REQUESTED</c>, <c>COMMENTED</c>, <c>APPROVED</c>, <c>DISMISSED</c>), its text and the commit it reviewed.</summary>
public sealed record PullRequestReview(long Id, string Author, bool ByBot, string State, string? Body, string? CommitId, DateTimeOffset? SubmittedAt);

/// <summary>A comment on a line of the pull request's diff: where (path, line, GitHub's diff hunk up to it) and what.</summary>
public sealed record ReviewComment(
    long Id, long? ReviewId, long? InReplyTo, string Author, bool ByBot, string Path, int? Line, string DiffHunk, string Body, DateTimeOffset CreatedAt);

/// <summary>A failing check run with the Checks API's output (title, summary, text) and annotations.</summary>
public sealed record FailedCheck(
    long Id, string Name, string Conclusion, string? Title, string? Summary, string? Text, string? Url, IReadOnlyList<CheckAnnotation> Annotations);

/// <summary>One annotation of a check run: where, how bad (<c>notice</c>, <c>warning</c>, <c>failure</c>), and what it says.</summary>
public sealed record CheckAnnotation(string Path, int StartLine, int EndLine, string Level, string Message, string? Title);
