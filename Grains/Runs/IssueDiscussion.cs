using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// The issue's comments that the agent may read: the newest <see cref="CommentsRead"/>, of those only the ones
/// written by people with write permission on the repository. Bots (this service's App among them) and the service's
/// own status comments are left out. A failure to ask GitHub throws, so the step that wanted them is retried.
/// </summary>
public sealed class IssueDiscussion(IGitHubIssues gitHub, PermissionChecker permissions, IOptions<GitHubAppOptions> app)
{
    /// <summary>Comments listed, newest first; older ones are not read at all.</summary>
    public const int CommentsRead = 50;

    public async Task<IReadOnlyList<DiscussionComment>> ReadAsync(IssueKey issue, CancellationToken cancellationToken)
    {
        var included = new List<DiscussionComment>();
        foreach (var comment in await gitHub.ListRecentCommentsAsync(issue, CommentsRead, cancellationToken))
        {
            if (IsFromABot(comment) || StatusComment.IsStatusComment(comment.Body)) continue;
            if (!await permissions.MayCommandAsync(issue, comment.Author, cancellationToken)) continue;
            included.Add(new DiscussionComment(comment.Author, comment.Body));
        }

        return included;
    }

    /// <summary>GitHub marks Apps as bots and gives them logins ending in <c>[bot]</c>, which no person's login can.</summary>
    private bool IsFromABot(PostedComment comment) =>
        comment.ByBot
        || comment.Author.Length == 0
        || comment.Author.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase)
        || string.Equals(comment.Author, app.Value.BotLogin, StringComparison.OrdinalIgnoreCase);
}
