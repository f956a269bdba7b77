namespace SandboxAgents.GitHub;

/// <summary>
/// The port to GitHub's REST API, as far as runs need it. Faults throw <see cref="GitHubRateLimitedException"/>,
/// <see cref="GitHubUnavailableException"/> or <see cref="GitHubRequestException"/>; "not found" answers are values.
/// </summary>
public interface IGitHubIssues
{
    /// <summary>The login's effective permission on the repository: <c>admin</c>, <c>maintain</c>, <c>write</c>, <c>triage</c>, <c>read</c> or <c>none</c>.</summary>
    Task<string> GetPermissionAsync(string owner, string repository, string login, CancellationToken cancellationToken);

    /// <summary>Posts a comment on the issue and returns its id.</summary>
    Task<long> CreateCommentAsync(IssueKey issue, string body, CancellationToken cancellationToken);

    /// <summary>The id of the first comment on the issue whose body contains the marker, if any.</summary>
    Task<long?> FindCommentAsync(IssueKey issue, string marker, CancellationToken cancellationToken);

    /// <summary>
    /// The issue's newest comments, at most <paramref name="max"/>, oldest first: read a page at a time from the last
    /// page back, so a long discussion costs a few requests. Faults throw.
    /// </summary>
    Task<IReadOnlyList<PostedComment>> ListRecentCommentsAsync(IssueKey issue, int max, CancellationToken cancellationToken);

    /// <summary>Replaces the body of a comment posted before. Idempotent.</summary>
    Task UpdateCommentAsync(IssueKey issue, long commentId, string body, CancellationToken cancellationToken);

    /// <summary>Adds the 👀 reaction to the comment, or to the issue when no comment is given. Idempotent (GitHub answers 200 for an existing one).</summary>
    Task AcknowledgeAsync(IssueKey issue, long? commentId, CancellationToken cancellationToken);

    /// <summary>Adds the reaction to the comment, or to the issue when no comment is given. Idempotent.</summary>
    Task ReactAsync(IssueKey issue, long? commentId, GitHubReaction reaction, CancellationToken cancellationToken);

    /// <summary>The issue's current title and body, or null when there is no such issue.</summary>
    Task<IssueText?> GetIssueAsync(IssueKey issue, CancellationToken cancellationToken);

    /// <summary>The open pull request whose head is the given branch of the same repository, if any.</summary>
    Task<PullRequestRef?> FindOpenPullRequestAsync(IssueKey issue, string branch, CancellationToken cancellationToken);

    Task<PullRequestRef> CreatePullRequestAsync(IssueKey issue, NewPullRequestSpec spec, CancellationToken cancellationToken);
}

public sealed record PullRequestRef(int Number, string Url);

public sealed record NewPullRequestSpec(string Title, string Head, string Base, string Body, bool Draft);
