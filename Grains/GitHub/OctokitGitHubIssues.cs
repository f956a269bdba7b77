using Microsoft.Extensions.Options;
using Octokit;

namespace SandboxAgents.GitHub;

/// <summary>
/// <see cref="IGitHubIssues"/> over Octokit. Octokit maps any non-github.com base URL to <c>/api/v3/</c> (GHES). Every
/// call goes through <see cref="OctokitFailures"/>, so callers see the port's exceptions, never Octokit's.
/// </summary>
public sealed class OctokitGitHubIssues(IOptions<GitHubOptions> options) : IGitHubIssues
{
    private readonly GitHubClient _client = CreateClient(options.Value);

    public Task<string> GetPermissionAsync(string owner, string repository, string login, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        try
        {
            var answer = await _client.Repository.Collaborator.ReviewPermission(owner, repository, login);
            return (answer.RoleName ?? answer.Permission ?? "none").ToLowerInvariant();
        }
        catch (NotFoundException)
        {
            return "none";
        }
    }, cancellationToken);

    public Task<long> CreateCommentAsync(IssueKey issue, string body, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        var comment = await _client.Issue.Comment.Create(issue.Owner, issue.Repository, issue.Number, body);
        return comment.Id;
    }, cancellationToken);

    public Task<long?> FindCommentAsync(IssueKey issue, string marker, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        var comments = await _client.Issue.Comment.GetAllForIssue(issue.Owner, issue.Repository, issue.Number);
        return comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true)?.Id;
    }, cancellationToken);

    public Task UpdateCommentAsync(IssueKey issue, long commentId, string body, CancellationToken cancellationToken) =>
        OctokitFailures.GuardAsync(() => _client.Issue.Comment.Update(issue.Owner, issue.Repository, commentId, body), cancellationToken);

    public Task AcknowledgeAsync(IssueKey issue, long? commentId, CancellationToken cancellationToken) =>
        ReactAsync(issue, commentId, GitHubReaction.Eyes, cancellationToken);

    public Task ReactAsync(IssueKey issue, long? commentId, GitHubReaction reaction, CancellationToken cancellationToken)
    {
        var content = new NewReaction(reaction == GitHubReaction.Confused ? ReactionType.Confused : ReactionType.Eyes);
        return OctokitFailures.GuardAsync(() => commentId is { } id
            ? _client.Reaction.IssueComment.Create(issue.Owner, issue.Repository, id, content)
            : _client.Reaction.Issue.Create(issue.Owner, issue.Repository, issue.Number, content), cancellationToken);
    }

    public Task<IssueText?> GetIssueAsync(IssueKey issue, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        try
        {
            var found = await _client.Issue.Get(issue.Owner, issue.Repository, issue.Number);
            return found.PullRequest is null ? IssueText.Capped(found.Title, found.Body) : null;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }, cancellationToken);

    public Task<PullRequestRef?> FindOpenPullRequestAsync(IssueKey issue, string branch, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{issue.Owner}:{branch}" };
        var open = await _client.PullRequest.GetAllForRepository(issue.Owner, issue.Repository, request);
        var match = open.FirstOrDefault(pr => string.Equals(pr.Head?.Ref, branch, StringComparison.Ordinal));
        return match is null ? null : new PullRequestRef(match.Number, match.HtmlUrl);
    }, cancellationToken);

    public Task<PullRequestRef> CreatePullRequestAsync(IssueKey issue, NewPullRequestSpec spec, CancellationToken cancellationToken) => OctokitFailures.GuardAsync(async () =>
    {
        var request = new NewPullRequest(spec.Title, spec.Head, spec.Base) { Body = spec.Body, Draft = spec.Draft };
        var created = await _client.PullRequest.Create(issue.Owner, issue.Repository, request);
        return new PullRequestRef(created.Number, created.HtmlUrl);
    }, cancellationToken);

    private static GitHubClient CreateClient(GitHubOptions options)
    {
        var client = new GitHubClient(new ProductHeaderValue("sandbox-agents"), options.ApiUrl);
        if (!string.IsNullOrEmpty(options.Token)) client.Credentials = new Credentials(options.Token);
        return client;
    }
}
