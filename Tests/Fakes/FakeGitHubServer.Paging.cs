using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// Listings paged as GitHub pages them: <c>per_page</c> 30 by default and 100 at most, <c>page</c> from 1, and a
/// <c>Link</c> header naming the next, last, first and previous pages with the request's other parameters kept, which
/// is what Octokit's <c>GetAll</c> follows.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private const int DefaultPerPage = 30;
    private const int MaxPerPage = 100;

    /// <summary>The page of <paramref name="all"/> the request asks for, copied; sets the <c>Link</c> header.</summary>
    private JsonNode[] PageOf(HttpContext context, IReadOnlyList<JsonNode> all)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, MaxPerPage) : DefaultPerPage;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var wanted) && wanted > 0 ? wanted : 1;
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);

        var kept = query.Where(q => q.Key is not ("page" or "per_page")).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        var url = $"{BaseUrl}{context.Request.Path.Value!.TrimStart('/')}";
        string Link(int target, string rel) =>
            $"<{QueryHelpers.AddQueryString(url, new Dictionary<string, string?>(kept) { ["per_page"] = $"{perPage}", ["page"] = $"{target}" })}>; rel=\"{rel}\"";
        var links = new List<string>();
        if (page < last) links.AddRange([Link(page + 1, "next"), Link(last, "last")]);
        if (page > 1) links.AddRange([Link(1, "first"), Link(Math.Min(page - 1, last), "prev")]);
        if (links.Count > 0) context.Response.Headers.Link = string.Join(", ", links);

        return [.. all.Skip((page - 1) * perPage).Take(perPage).Select(item => item.DeepClone())];
    }
}
