using System.Collections.Concurrent;
using SandboxAgents.GitHub;

namespace SandboxAgents.Tests.Fakes;

/// <summary>Comments written by people (and bots) on GitHub, and listing an issue's newest comments.</summary>
public sealed partial class FakeGitHubIssues
{
    private readonly ConcurrentDictionary<long, (string Login, bool Bot)> _authors = new();
    private int _commentListingFailures;

    /// <summary>How many of the next comment listings fail as a GitHub outage would.</summary>
    public int CommentListingFailures { get => Volatile.Read(ref _commentListingFailures); set => Volatile.Write(ref _commentListingFailures, value); }

    public int CommentListings => Volatile.Read(ref _commentListings);
    private int _commentListings;

    /// <summary>A comment someone wrote on the issue; comments the service posts are by <c>sandbox-agents</c>.</summary>
    public long AddComment(IssueKey issue, string author, string body, bool bot = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        _authors[id] = (author, bot);
        Comments[id] = new FakeComment(id, issue) { Bodies = { body } };
        return id;
    }

    public Task<IReadOnlyList<PostedComment>> ListRecentCommentsAsync(IssueKey issue, int max, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _commentListings);
        if (Interlocked.Decrement(ref _commentListingFailures) >= 0) throw new HttpRequestException("injected GitHub outage");
        Interlocked.Exchange(ref _commentListingFailures, 0);
        var all = CommentsOn(issue).ToList();
        IReadOnlyList<PostedComment> newest = [.. all.Skip(Math.Max(0, all.Count - max)).Select(c =>
        {
            var (login, bot) = _authors.GetValueOrDefault(c.Id, ("sandbox-agents", false));
            return new PostedComment(c.Id, login, bot, c.Body);
        })];
        return Task.FromResult(newest);
    }
}
