using System.Globalization;
using System.Web;
using Octokit;

namespace SandboxAgents.GitHub;

/// <summary>
/// An issue's newest comments over Octokit. GitHub lists an issue's comments oldest first, up to 100 a page, and
/// names the last page in the first page's <c>Link</c> header; so pages are read from the last back until enough are
/// held, and an issue with up to 100 comments costs one request.
/// </summary>
internal static class OctokitRecentComments
{
    private const int PageSize = 100;

    public static async Task<IReadOnlyList<PostedComment>> ReadAsync(IGitHubClient client, IssueKey issue, int max, CancellationToken cancellationToken)
    {
        if (max <= 0) return [];
        var first = await PageAsync(client, issue, 1, cancellationToken);
        var newest = new List<IssueComment>();
        if (LastPage(first) is { } last and > 1)
        {
            for (var page = last; page > 1 && newest.Count < max; page--)
                newest.InsertRange(0, (await PageAsync(client, issue, page, cancellationToken)).Body);
        }

        if (newest.Count < max) newest.InsertRange(0, first.Body);
        return [.. newest.Skip(Math.Max(0, newest.Count - max)).Select(c => new PostedComment(
            c.Id, c.User?.Login ?? "", c.User?.Type == AccountType.Bot, c.Body ?? ""))];
    }

    private static Task<IApiResponse<List<IssueComment>>> PageAsync(IGitHubClient client, IssueKey issue, int page, CancellationToken cancellationToken) =>
        client.Connection.Get<List<IssueComment>>(
            ApiUrls.IssueComments(issue.Owner, issue.Repository, issue.Number),
            new Dictionary<string, string>
            {
                ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
                ["page"] = page.ToString(CultureInfo.InvariantCulture),
            },
            "application/vnd.github+json",
            cancellationToken);

    private static int? LastPage(IApiResponse<List<IssueComment>> response) =>
        response.HttpResponse.ApiInfo?.Links is { } links && links.TryGetValue("last", out var last)
            && int.TryParse(HttpUtility.ParseQueryString(last.Query)["page"], CultureInfo.InvariantCulture, out var page)
            ? page
            : null;
}
