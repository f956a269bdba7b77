using Octokit;
using static SandboxAgents.GitHub.OctokitRepositoryCalls;

namespace SandboxAgents.GitHub;

/// <summary>
/// <see cref="IGitHubIssues"/> over the shared Octokit client, each call with the token of its repository and of the
/// run being driven, if any, through <see cref="OctokitRepositoryCalls"/>, so callers see the port's exceptions, never
/// Octokit's.
/// </summary>
public sealed class OctokitGitHubIssues(GitHubApi api, IGitHubCredentials credentials) : IGitHubIssues
{
    public async Task<string> GetPermissionAsync(string owner, string repository, string login, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(owner, repository, c => OrNullIfNotFoundAsync(() => c.Repository.Collaborator.ReviewPermission(owner, repository, login)), cancellationToken);
        return (answer?.RoleName ?? answer?.Permission ?? "none").ToLowerInvariant();
    }

    public async Task<long> CreateCommentAsync(IssueKey issue, string body, CancellationToken cancellationToken)
    {
        var comment = await CallAsync(issue, c => c.Issue.Comment.Create(issue.Owner, issue.Repository, issue.Number, body), cancellationToken);
        return comment.Id;
    }

    public async Task<long?> FindCommentAsync(IssueKey issue, string marker, CancellationToken cancellationToken)
    {
        var comments = await CallAsync(issue, c => c.Issue.Comment.GetAllForIssue(issue.Owner, issue.Repository, issue.Number), cancellationToken);
        return comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true)?.Id;
    }

    public Task<IReadOnlyList<PostedComment>> ListRecentCommentsAsync(IssueKey issue, int max, CancellationToken cancellationToken) =>
        CallAsync(issue, c => OctokitRecentComments.ReadAsync(c, issue, max, cancellationToken), cancellationToken);

    public Task UpdateCommentAsync(IssueKey issue, long commentId, string body, CancellationToken cancellationToken) =>
        CallAsync(issue, c => c.Issue.Comment.Update(issue.Owner, issue.Repository, commentId, body), cancellationToken);

    public Task AcknowledgeAsync(IssueKey issue, long? commentId, CancellationToken cancellationToken) =>
        ReactAsync(issue, commentId, GitHubReaction.Eyes, cancellationToken);

    public Task ReactAsync(IssueKey issue, long? commentId, GitHubReaction reaction, CancellationToken cancellationToken)
    {
        var content = new NewReaction(reaction == GitHubReaction.Confused ? ReactionType.Confused : ReactionType.Eyes);
        return CallAsync(issue, c => commentId is { } id
            ? c.Reaction.IssueComment.Create(issue.Owner, issue.Repository, id, content)
            : c.Reaction.Issue.Create(issue.Owner, issue.Repository, issue.Number, content), cancellationToken);
    }

    public async Task<IssueText?> GetIssueAsync(IssueKey issue, CancellationToken cancellationToken)
    {
        var found = await CallAsync(issue, c => OrNullIfNotFoundAsync(() => c.Issue.Get(issue.Owner, issue.Repository, issue.Number)), cancellationToken);
        return found is { PullRequest: null } ? IssueText.Capped(found.Title, found.Body) : null;
    }

    public async Task<PullRequestRef?> FindOpenPullRequestAsync(IssueKey issue, string branch, CancellationToken cancellationToken)
    {
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{issue.Owner}:{branch}" };
        var open = await CallAsync(issue, c => c.PullRequest.GetAllForRepository(issue.Owner, issue.Repository, request), cancellationToken);
        var match = open.FirstOrDefault(pr => string.Equals(pr.Head?.Ref, branch, StringComparison.Ordinal));
        return match is null ? null : new PullRequestRef(match.Number, match.HtmlUrl);
    }

    public async Task<PullRequestRef> CreatePullRequestAsync(IssueKey issue, NewPullRequestSpec spec, CancellationToken cancellationToken)
    {
        var request = new NewPullRequest(spec.Title, spec.Head, spec.Base) { Body = spec.Body, Draft = spec.Draft };
        var created = await CallAsync(issue, c => c.PullRequest.Create(issue.Owner, issue.Repository, request), cancellationToken);
        return new PullRequestRef(created.Number, created.HtmlUrl);
    }

    private Task<T> CallAsync<T>(IssueKey issue, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        CallAsync(issue.Owner, issue.Repository, call, cancellationToken);

    private Task<T> CallAsync<T>(string owner, string repository, Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken) =>
        OctokitRepositoryCalls.CallAsync(api, credentials, owner, repository, call, cancellationToken);
}
