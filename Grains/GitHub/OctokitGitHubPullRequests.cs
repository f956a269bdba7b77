using Octokit;
using static SandboxAgents.GitHub.OctokitRepositoryCalls;

namespace SandboxAgents.GitHub;

/// <summary>
/// <see cref="IGitHubPullRequests"/> over the shared Octokit client, each call with the token of its repository and of
/// the run being driven, through <see cref="OctokitRepositoryCalls"/>, so callers see the port's exceptions, never
/// Octokit's. Listings follow every page; failed checks are cut down by <see cref="FailedCheckPolicy"/>.
/// </summary>
public sealed class OctokitGitHubPullRequests(GitHubApi api, IGitHubCredentials credentials) : IGitHubPullRequests
{
    public async Task<PullRequestStatus?> GetAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        var found = await CallAsync(pullRequest, c => OrNullIfNotFoundAsync(() => c.PullRequest.Get(pullRequest.Owner, pullRequest.Repository, pullRequest.Number)), cancellationToken);
        return found is null ? null : new PullRequestStatus(
            found.Number, found.HtmlUrl, IsValue(found.State.StringValue, "open"), found.Merged, found.Head?.Ref ?? "", found.Head?.Sha ?? "", found.Body ?? "");
    }

    public Task UpdateBodyAsync(IssueKey pullRequest, string body, CancellationToken cancellationToken) =>
        CallAsync(pullRequest, c => c.PullRequest.Update(pullRequest.Owner, pullRequest.Repository, pullRequest.Number, new PullRequestUpdate { Body = body }), cancellationToken);

    public async Task<IReadOnlyList<PullRequestReview>> ListReviewsAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        var reviews = await CallAsync(pullRequest, c => c.PullRequest.Review.GetAll(pullRequest.Owner, pullRequest.Repository, pullRequest.Number), cancellationToken);
        // GitHub lists a pending review to its author, who may be the service's own account: a draft is not feedback yet.
        return [.. reviews
            .Where(r => !IsValue(r.State.StringValue, "PENDING"))
            .Select(r => new PullRequestReview(
                r.Id, r.User?.Login ?? "", r.User?.Type == AccountType.Bot, r.State.StringValue.ToUpperInvariant(), r.Body, r.CommitId, r.SubmittedAt))];
    }

    public async Task<IReadOnlyList<ReviewComment>> ListReviewCommentsAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        var comments = await CallAsync(pullRequest, c => new ApiConnection(c.Connection).GetAll<LinedReviewComment>(
            ApiUrls.PullRequestReviewComments(pullRequest.Owner, pullRequest.Repository, pullRequest.Number)), cancellationToken);
        return [.. comments.Select(c => new ReviewComment(
            c.Id, c.PullRequestReviewId, c.InReplyToId, c.User?.Login ?? "", c.User?.Type == AccountType.Bot, c.Path ?? "", c.Line ?? c.OriginalLine,
            c.DiffHunk ?? "", c.Body ?? "", c.CreatedAt))];
    }

    public async Task<IReadOnlyList<FailedCheck>> ListFailedChecksAsync(IssueKey pullRequest, string headSha, CancellationToken cancellationToken)
    {
        // A 404 (a repository or commit no longer there) is an answer: nothing failed that anyone can see.
        var runs = await CallAsync(pullRequest, c => OrNullIfNotFoundAsync(() => c.Check.Run.GetAllForReference(pullRequest.Owner, pullRequest.Repository, headSha)), cancellationToken);
        var failed = (runs?.CheckRuns ?? [])
            .Where(r => FailedCheckPolicy.IsFailed(r.Status.StringValue, r.Conclusion?.StringValue))
            .OrderBy(r => r.Id)
            .Take(FailedCheckPolicy.MaxChecks)
            .ToList();
        var checks = new List<FailedCheck>(failed.Count);
        foreach (var run in failed)
        {
            var annotations = await FirstAnnotationsAsync(pullRequest, run, cancellationToken);
            checks.Add(new FailedCheck(
                run.Id, run.Name, run.Conclusion!.Value.StringValue, FailedCheckPolicy.Cap(run.Output?.Title), FailedCheckPolicy.Cap(run.Output?.Summary),
                FailedCheckPolicy.Cap(run.Output?.Text), run.HtmlUrl, annotations));
        }

        return checks;
    }

    /// <summary>One page of <see cref="FailedCheckPolicy.MaxAnnotations"/>, and no request for a run that has none.</summary>
    private async Task<IReadOnlyList<CheckAnnotation>> FirstAnnotationsAsync(IssueKey pullRequest, CheckRun run, CancellationToken cancellationToken)
    {
        if (run.Output is not { AnnotationsCount: > 0 }) return [];
        var first = new ApiOptions { PageSize = FailedCheckPolicy.MaxAnnotations, PageCount = 1, StartPage = 1 };
        var annotations = await CallAsync(pullRequest, c => c.Check.Run.GetAllAnnotations(pullRequest.Owner, pullRequest.Repository, run.Id, first), cancellationToken);
        return [.. annotations.Take(FailedCheckPolicy.MaxAnnotations).Select(a => new CheckAnnotation(
            a.Path ?? "", a.StartLine, a.EndLine, a.AnnotationLevel?.StringValue ?? "", a.Message ?? "", a.Title))];
    }

    private static bool IsValue(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private Task<T> CallAsync<T>(IssueKey pullRequest, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        OctokitRepositoryCalls.CallAsync(api, credentials, pullRequest.Owner, pullRequest.Repository, call, cancellationToken);

    /// <summary>
    /// A review comment as GitHub sends it, read into this type because Octokit 14's model has the diff positions but not
    /// the file lines: <c>line</c> is null once the comment is outdated, <c>original_line</c> is where it was made.
    /// </summary>
    private sealed class LinedReviewComment
    {
        public long Id { get; private set; }
        public long? PullRequestReviewId { get; private set; }
        public long? InReplyToId { get; private set; }
        public User? User { get; private set; }
        public string? Path { get; private set; }
        public int? Line { get; private set; }
        public int? OriginalLine { get; private set; }
        public string? DiffHunk { get; private set; }
        public string? Body { get; private set; }
        public DateTimeOffset CreatedAt { get; private set; }
    }
}
