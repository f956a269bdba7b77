using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>The calls of <see cref="IGitHubIssues"/> a test can make fail.</summary>
public enum GitHubCall
{
    Permission,
    CreateComment,
    FindComment,
    UpdateComment,
    React,
    CreatePullRequest,
}

/// <summary>
/// Faults for <see cref="FakeGitHubIssues"/>, scoped to one issue (or, for permission lookups, one login) so that tests
/// sharing the fake do not meet each other's faults. Every call that reaches a fault is counted.
/// </summary>
public sealed partial class FakeGitHubIssues
{
    private readonly ConcurrentDictionary<(string Scope, GitHubCall Call), ConcurrentQueue<Func<Exception>>> _faults = new();
    private readonly ConcurrentDictionary<(string Scope, GitHubCall Call), int> _calls = new();

    /// <summary>The next <paramref name="times"/> calls of the kind on the issue throw what <paramref name="fault"/> makes.</summary>
    public void FailNext(IssueKey issue, GitHubCall call, int times, Func<Exception> fault) => FailNext(issue.ToString(), call, times, fault);

    /// <summary>The next <paramref name="times"/> permission lookups of the login throw what <paramref name="fault"/> makes.</summary>
    public void FailNextLookups(string login, int times, Func<Exception> fault) => FailNext(login, GitHubCall.Permission, times, fault);

    /// <summary>How many calls of the kind were made on the issue (or for the login), failed ones included.</summary>
    public int CallsOf(IssueKey issue, GitHubCall call) => _calls.GetValueOrDefault((issue.ToString(), call));

    public int LookupsOf(string login) => _calls.GetValueOrDefault((login, GitHubCall.Permission));

    /// <summary>GitHub's secondary rate limit, with the <c>Retry-After</c> it gives.</summary>
    public static Func<Exception> SecondaryLimit(TimeSpan retryAfter) =>
        () => new GitHubRateLimitedException("You have exceeded a secondary rate limit.", retryAfter, null);

    public static Func<Exception> Outage() => () => new GitHubUnavailableException("GitHub answered 502: Server Error");

    private void FailNext(string scope, GitHubCall call, int times, Func<Exception> fault)
    {
        var queue = _faults.GetOrAdd((scope, call), _ => new ConcurrentQueue<Func<Exception>>());
        for (var i = 0; i < times; i++) queue.Enqueue(fault);
    }

    private void Fail(string scope, GitHubCall call)
    {
        _calls.AddOrUpdate((scope, call), 1, (_, n) => n + 1);
        if (_faults.TryGetValue((scope, call), out var queue) && queue.TryDequeue(out var fault)) throw fault();
    }
}
