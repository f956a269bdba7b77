using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// Comments written by people on GitHub, and the issue comment listing: oldest first, paged as GitHub pages it
/// (<c>FakeGitHubServer.Paging.cs</c>).
/// </summary>
public sealed partial class FakeGitHubServer
{
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

    private IResult ListComments(string repository, int number, HttpContext context) =>
        Results.Json(new JsonArray(PageOf(context, CommentsOn(repository, number))));
}
