using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// An in-memory GitHub for grain tests: permissions by login, comments with their edit history, pull requests, the
/// discussion's comments, and faults injected per call (<see cref="FailNext(IssueKey, GitHubCall, int, Func{Exception})"/>).
/// </summary>
public sealed partial class FakeGitHubIssues : IGitHubIssues
{
    private long _nextId = 1000;
    private int _nextPullRequest;

    public ConcurrentDictionary<string, string> Permissions { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ConcurrentDictionary<long, FakeComment> Comments { get; } = new();
    public ConcurrentQueue<(IssueKey Issue, NewPullRequestSpec Spec, PullRequestRef Ref)> PullRequests { get; } = new();
    public bool FailPermissionLookups { get => Volatile.Read(ref _failPermissionLookups); set => Volatile.Write(ref _failPermissionLookups, value); }
    private bool _failPermissionLookups;

    public IEnumerable<FakeComment> CommentsOn(IssueKey issue) => Comments.Values.Where(c => c.Issue == issue).OrderBy(c => c.Id);

    public Task<string> GetPermissionAsync(string owner, string repository, string login, CancellationToken cancellationToken)
    {
        if (FailPermissionLookups) throw new GitHubUnavailableException("injected GitHub outage");
        Fail(login, GitHubCall.Permission);
        return Task.FromResult(Permissions.GetValueOrDefault(login, "write"));
    }

    public Task<long> CreateCommentAsync(IssueKey issue, string body, CancellationToken cancellationToken)
    {
        Fail(issue.ToString(), GitHubCall.CreateComment);
        var id = Interlocked.Increment(ref _nextId);
        Comments[id] = new FakeComment(id, issue) { Bodies = { body } };
        return Task.FromResult(id);
    }

    public Task<long?> FindCommentAsync(IssueKey issue, string marker, CancellationToken cancellationToken)
    {
        Fail(issue.ToString(), GitHubCall.FindComment);
        return Task.FromResult(CommentsOn(issue).FirstOrDefault(c => c.Body.Contains(marker, StringComparison.Ordinal))?.Id);
    }

    public Task UpdateCommentAsync(IssueKey issue, long commentId, string body, CancellationToken cancellationToken)
    {
        Fail(issue.ToString(), GitHubCall.UpdateComment);
        Comments[commentId].Bodies.Add(body);
        return Task.CompletedTask;
    }

    public ConcurrentQueue<(IssueKey Issue, long? CommentId)> Reactions { get; } = new();

    public Task AcknowledgeAsync(IssueKey issue, long? commentId, CancellationToken cancellationToken)
    {
        Fail(issue.ToString(), GitHubCall.React);
        Reactions.Enqueue((issue, commentId));
        return Task.CompletedTask;
    }

    /// <summary>Reactions other than the 👀 acknowledgement.</summary>
    public ConcurrentQueue<(IssueKey Issue, long? CommentId, GitHubReaction Reaction)> OtherReactions { get; } = new();

    public Task ReactAsync(IssueKey issue, long? commentId, GitHubReaction reaction, CancellationToken cancellationToken)
    {
        if (reaction == GitHubReaction.Eyes) return AcknowledgeAsync(issue, commentId, cancellationToken);
        Fail(issue.ToString(), GitHubCall.React);
        OtherReactions.Enqueue((issue, commentId, reaction));
        return Task.CompletedTask;
    }

    public Task<IssueText?> GetIssueAsync(IssueKey issue, CancellationToken cancellationToken) =>
        Task.FromResult<IssueText?>(issue.Number >= 9000 ? null : new IssueText($"Issue {issue.Number}", "Body read from GitHub"));

    public Task<PullRequestRef?> FindOpenPullRequestAsync(IssueKey issue, string branch, CancellationToken cancellationToken) =>
        Task.FromResult<PullRequestRef?>(PullRequests.FirstOrDefault(p => p.Issue == issue && p.Spec.Head == branch).Ref);

    /// <summary>Called for each pull request created, after it is listed (a test's other fakes learn of it here).</summary>
    public Action<IssueKey, NewPullRequestSpec, PullRequestRef>? PullRequestCreated { get; set; }

    public Task<PullRequestRef> CreatePullRequestAsync(IssueKey issue, NewPullRequestSpec spec, CancellationToken cancellationToken)
    {
        Fail(issue.ToString(), GitHubCall.CreatePullRequest);
        var number = 100_000 + Interlocked.Increment(ref _nextPullRequest);
        var created = new PullRequestRef(number, $"https://github.example/{issue.RepositoryFullName}/pull/{number}");
        PullRequests.Enqueue((issue, spec, created));
        PullRequestCreated?.Invoke(issue, spec, created);
        return Task.FromResult(created);
    }
}

public sealed class FakeComment(long id, IssueKey issue)
{
    public long Id => id;
    public IssueKey Issue => issue;
    public List<string> Bodies { get; } = [];
    public string Body => Bodies[^1];
}
