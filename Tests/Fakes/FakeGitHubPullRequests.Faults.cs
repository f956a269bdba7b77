using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>The calls of <see cref="IGitHubPullRequests"/> a test can make fail.</summary>
public enum PullRequestCall
{
    Get,
    UpdateBody,
    ListReviews,
    ListReviewComments,
    ListFailedChecks,
}

/// <summary>
/// Faults for <see cref="FakeGitHubPullRequests"/>, scoped to one pull request so that tests sharing the fake do not
/// meet each other's faults. Every call is counted, failed ones included. <see cref="FakeGitHubIssues.Outage"/> and
/// <see cref="FakeGitHubIssues.SecondaryLimit"/> make the usual faults.
/// </summary>
public sealed partial class FakeGitHubPullRequests
{
    private readonly ConcurrentDictionary<(IssueKey PullRequest, PullRequestCall Call), ConcurrentQueue<Func<Exception>>> _faults = new();
    private readonly ConcurrentDictionary<(IssueKey PullRequest, PullRequestCall Call), int> _calls = new();

    /// <summary>The next <paramref name="times"/> calls of the kind on the pull request throw what <paramref name="fault"/> makes.</summary>
    public void FailNext(IssueKey pullRequest, PullRequestCall call, int times, Func<Exception> fault)
    {
        var queue = _faults.GetOrAdd((pullRequest, call), _ => new ConcurrentQueue<Func<Exception>>());
        for (var i = 0; i < times; i++) queue.Enqueue(fault);
    }

    /// <summary>How many calls of the kind were made on the pull request, failed ones included.</summary>
    public int CallsOf(IssueKey pullRequest, PullRequestCall call) => _calls.GetValueOrDefault((pullRequest, call));

    private void Fail(IssueKey pullRequest, PullRequestCall call)
    {
        _calls.AddOrUpdate((pullRequest, call), 1, (_, n) => n + 1);
        if (_faults.TryGetValue((pullRequest, call), out var queue) && queue.TryDequeue(out var fault)) throw fault();
    }
}
