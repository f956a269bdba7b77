using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// Comments written by people on GitHub, and the issue comment listing as GitHub pages it: oldest first,
/// <c>per_page</c> 30 by default and 100 at most, <c>page</c> from 1, and a <c>Link</c> header naming the other pages.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private const int DefaultPerPage = 30;
    private const int MaxPerPage = 100;

    /// <summary>Adds a comment by <paramref name="login"/> (GitHub's user <c>type</c>: <c>User</c> or <c>Bot</c>) and returns its id.</summary>
    public long AddComment(string repository, int number, string login, string body, string type = "User")
    {
        var id = Interlocked.Increment(ref _nextId);
        var user = User(login);
        user["type"] = type;
        _comments[id] = new JsonObject
        {
            ["id"] = id, ["body"] = body, ["user"] = user, ["edits"] = 0,
            ["html_url"] = $"https://github.example/{repository}/issues/{number}#issuecomment-{id}",
            ["created_at"] = "2026-11-28T08:00:00Z", ["updated_at"] = "2026-11-28T08:00:00Z",
        };
        _issueComments.AddOrUpdate($"{repository}#{number}", [id], (_, ids) => { lock (ids) ids.Add(id); return ids; });
        return id;
    }

    private IResult ListComments(string repository, int number, HttpContext context)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], CultureInfo.InvariantCulture, out var asked) && asked > 0 ? Math.Min(asked, MaxPerPage) : DefaultPerPage;
        var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var wanted) && wanted > 0 ? wanted : 1;
        var all = CommentsOn(repository, number);
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);

        var links = new List<string>();
        var url = $"{BaseUrl}api/v3/repos/{repository}/issues/{number}/comments";
        string Link(int target, string rel) => $"<{url}?per_page={perPage}&page={target}>; rel=\"{rel}\"";
        if (page < last) links.AddRange([Link(page + 1, "next"), Link(last, "last")]);
        if (page > 1) links.AddRange([Link(1, "first"), Link(Math.Min(page - 1, last), "prev")]);
        if (links.Count > 0) context.Response.Headers.Link = string.Join(", ", links);

        return Results.Json(new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(c => (JsonNode)c.DeepClone())]));
    }
}
