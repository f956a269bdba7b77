using Octokit;

namespace SandboxAgents.GitHub;

/// <summary>
/// An issue's newest comments over Octokit. GitHub lists an issue's comments oldest first, up to 100 a page, and the
/// issue says how many it has; so the last page is known, and pages are read from there back until enough are held.
/// A page found full is followed by the next one first, in case comments arrived after the count was read.
/// </summary>
internal static class OctokitRecentComments
{
    private const int PageSize = 100;

    public static async Task<IReadOnlyList<PostedComment>> ReadAsync(IGitHubClient client, IssueKey issue, int max)
    {
        if (max <= 0) return [];
        var found = await client.Issue.Get(issue.Owner, issue.Repository, issue.Number);
        var last = Math.Max(1, (found.Comments + PageSize - 1) / PageSize);

        var tail = await PageAsync(client, issue, last);
        var newest = new List<IssueComment>(tail);
        for (var next = last + 1; tail.Count == PageSize; next++)
        {
            tail = await PageAsync(client, issue, next);
            newest.AddRange(tail);
        }

        for (var page = last - 1; page >= 1 && newest.Count < max; page--) newest.InsertRange(0, await PageAsync(client, issue, page));

        return [.. newest.Skip(Math.Max(0, newest.Count - max)).Select(c => new PostedComment(
            c.Id, c.User?.Login ?? "", c.User?.Type == AccountType.Bot, c.Body ?? ""))];
    }

    private static Task<IReadOnlyList<IssueComment>> PageAsync(IGitHubClient client, IssueKey issue, int page) =>
        client.Issue.Comment.GetAllForIssue(issue.Owner, issue.Repository, issue.Number,
            new ApiOptions { PageSize = PageSize, PageCount = 1, StartPage = page });
}
