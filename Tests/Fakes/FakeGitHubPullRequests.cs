using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// An in-memory GitHub of pull requests for grain tests: pull requests a test opens, pushes to and closes, the reviews
/// and diff comments people leave, check runs per head commit, and faults injected per call
/// (<see cref="FailNext(IssueKey, PullRequestCall, int, Func{Exception})"/>). As GitHub does, it answers 404 for a pull
/// request it does not hold, hides pending reviews, and lists only failed checks, capped as the adapter caps them.
/// </summary>
public sealed partial class FakeGitHubPullRequests(TimeProvider? time = null) : IGitHubPullRequests
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<IssueKey, FakePullRequest> _pulls = new();
    private readonly ConcurrentDictionary<IssueKey, ConcurrentQueue<PullRequestReview>> _reviews = new();
    private readonly ConcurrentDictionary<IssueKey, ConcurrentQueue<ReviewComment>> _comments = new();
    private readonly ConcurrentDictionary<(string Repository, string Sha), ConcurrentQueue<FakeCheckRun>> _checks = new();
    private long _nextId = 7000;

    /// <summary>Opens (or replaces) the pull request, as the service's own <c>CreatePullRequestAsync</c> would have.</summary>
    public FakePullRequest OpenPullRequest(IssueKey pullRequest, string headRef, string headSha, string body = "")
    {
        var url = $"https://github.example/{pullRequest.RepositoryFullName}/pull/{pullRequest.Number}";
        var opened = new FakePullRequest(new PullRequestStatus(pullRequest.Number, url, true, false, headRef, headSha, body));
        _pulls[pullRequest] = opened;
        return opened;
    }

    /// <summary>The pull request the fake holds, to push to, close or read the bodies written to it.</summary>
    public FakePullRequest PullRequest(IssueKey pullRequest) =>
        _pulls.TryGetValue(pullRequest, out var held) ? held : throw new InvalidOperationException($"No pull request {pullRequest} was opened.");

    /// <summary>A submitted review (state <c>APPROVED</c>, <c>CHANGES_REQUESTED</c>, <c>COMMENTED</c>, <c>DISMISSED</c>; <c>PENDING</c> stays hidden).</summary>
    public long AddReview(IssueKey pullRequest, string author, string state, string? body, string? commitId = null, bool bot = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        var submittedAt = state == "PENDING" ? (DateTimeOffset?)null : _time.GetUtcNow();
        _reviews.GetOrAdd(pullRequest, _ => new()).Enqueue(new PullRequestReview(id, author, bot, state, body, commitId, submittedAt));
        return id;
    }

    /// <summary>A comment on a line of the diff, on its own, in a review, or in reply to another comment.</summary>
    public long AddReviewComment(
        IssueKey pullRequest, string author, string path, int? line, string diffHunk, string body, long? reviewId = null, long? inReplyTo = null, bool bot = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        _comments.GetOrAdd(pullRequest, _ => new())
            .Enqueue(new ReviewComment(id, reviewId, inReplyTo, author, bot, path, line, diffHunk, body, _time.GetUtcNow()));
        return id;
    }

    /// <summary>A check run on the repository's commit; <paramref name="conclusion"/> is null while it has not completed.</summary>
    public long AddCheckRun(
        IssueKey pullRequest, string headSha, string name, string? conclusion, string? title = null, string? summary = null, string? text = null,
        IReadOnlyList<CheckAnnotation>? annotations = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var status = conclusion is null ? "in_progress" : "completed";
        var url = $"https://github.example/{pullRequest.RepositoryFullName}/runs/{id}";
        _checks.GetOrAdd((pullRequest.RepositoryFullName, headSha), _ => new())
            .Enqueue(new FakeCheckRun(id, name, status, conclusion, title, summary, text, url, annotations ?? []));
        return id;
    }

    public Task<PullRequestStatus?> GetAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        Fail(pullRequest, PullRequestCall.Get);
        return Task.FromResult(_pulls.TryGetValue(pullRequest, out var held) ? held.Status : null);
    }

    public Task UpdateBodyAsync(IssueKey pullRequest, string body, CancellationToken cancellationToken)
    {
        Fail(pullRequest, PullRequestCall.UpdateBody);
        Held(pullRequest).WriteBody(body);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PullRequestReview>> ListReviewsAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        Fail(pullRequest, PullRequestCall.ListReviews);
        Held(pullRequest);
        IReadOnlyList<PullRequestReview> submitted = [.. _reviews.GetValueOrDefault(pullRequest, []).Where(r => r.State != "PENDING")];
        return Task.FromResult(submitted);
    }

    public Task<IReadOnlyList<ReviewComment>> ListReviewCommentsAsync(IssueKey pullRequest, CancellationToken cancellationToken)
    {
        Fail(pullRequest, PullRequestCall.ListReviewComments);
        Held(pullRequest);
        IReadOnlyList<ReviewComment> comments = [.. _comments.GetValueOrDefault(pullRequest, [])];
        return Task.FromResult(comments);
    }

    public Task<IReadOnlyList<FailedCheck>> ListFailedChecksAsync(IssueKey pullRequest, string headSha, CancellationToken cancellationToken)
    {
        Fail(pullRequest, PullRequestCall.ListFailedChecks);
        var runs = _checks.GetValueOrDefault((pullRequest.RepositoryFullName, headSha), []);
        // GitHub lists the latest run of each name by default: a re-run hides the run it replaced.
        var latest = runs.GroupBy(r => r.Name).Select(g => g.MaxBy(r => r.Id)!).OrderBy(r => r.Id);
        IReadOnlyList<FailedCheck> failed = [.. latest
            .Where(r => FailedCheckPolicy.IsFailed(r.Status, r.Conclusion))
            .Take(FailedCheckPolicy.MaxChecks)
            .Select(r => new FailedCheck(
                r.Id, r.Name, r.Conclusion!, FailedCheckPolicy.Cap(r.Title), FailedCheckPolicy.Cap(r.Summary), FailedCheckPolicy.Cap(r.Text), r.Url,
                [.. r.Annotations.Take(FailedCheckPolicy.MaxAnnotations)]))];
        return Task.FromResult(failed);
    }

    private FakePullRequest Held(IssueKey pullRequest) =>
        _pulls.TryGetValue(pullRequest, out var held) ? held : throw new GitHubRequestException(404, "GitHub answered 404: Not Found");
}

/// <summary>A pull request held by <see cref="FakeGitHubPullRequests"/>: what GitHub would answer, and every body the service wrote.</summary>
public sealed class FakePullRequest(PullRequestStatus opened)
{
    private PullRequestStatus _status = opened;

    public PullRequestStatus Status => Volatile.Read(ref _status);

    /// <summary>Every body <see cref="IGitHubPullRequests.UpdateBodyAsync"/> wrote, in order.</summary>
    public ConcurrentQueue<string> BodyUpdates { get; } = new();

    /// <summary>Someone pushed to the head branch.</summary>
    public void Push(string headSha) => Change(s => s with { HeadSha = headSha });

    public void Close() => Change(s => s with { Open = false });

    public void Merge() => Change(s => s with { Open = false, Merged = true });

    public void Reopen() => Change(s => s with { Open = true, Merged = false });

    internal void WriteBody(string body)
    {
        Change(s => s with { Body = body });
        BodyUpdates.Enqueue(body);
    }

    private void Change(Func<PullRequestStatus, PullRequestStatus> change)
    {
        PullRequestStatus seen, changed;
        do
        {
            seen = Status;
            changed = change(seen);
        }
        while (Interlocked.CompareExchange(ref _status, changed, seen) != seen);
    }
}

/// <summary>A check run as a test added it; the fake filters and caps it the way the adapter does.</summary>
public sealed record FakeCheckRun(
    long Id, string Name, string Status, string? Conclusion, string? Title, string? Summary, string? Text, string Url, IReadOnlyList<CheckAnnotation> Annotations);
