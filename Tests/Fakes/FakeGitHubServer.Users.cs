using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes;

/// <summary><c>GET /users/{login}</c> (any valid token) and <c>GET /user</c> (the PAT's own user; an installation token gets 403).</summary>
public sealed partial class FakeGitHubServer
{
    public const string PatLogin = "octo-maintainer";
    public const long PatUserId = 5_550_001;

    /// <summary>Known users by login: id, display name (null: none set) and type.</summary>
    public ConcurrentDictionary<string, (long Id, string? Name, string Type)> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [PatLogin] = (PatUserId, "Octo Maintainer", "User"),
    };

    private void MapUsers(WebApplication app)
    {
        app.MapGet("/api/v3/user", () => Account(PatLogin)!);
        app.MapGet("/api/v3/users/{login}", (string login) => Account(login) ?? Results.Json(new { message = "Not Found" }, statusCode: 404));
    }

    private IResult? Account(string login) =>
        Accounts.TryGetValue(login, out var account)
            ? Results.Json(new JsonObject
            {
                ["login"] = Accounts.Keys.First(k => k.Equals(login, StringComparison.OrdinalIgnoreCase)), ["id"] = account.Id,
                ["name"] = account.Name, ["type"] = account.Type, ["html_url"] = $"https://github.example/{login}",
            })
            : null;
}
