using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// GitHub App authentication as GitHub does it: <c>/app</c> endpoints (and a repository's installation) take only the
/// App's JWT, checked against its public key, its <c>iat</c>/<c>exp</c> window and its <c>iss</c>; installation
/// tokens reach only their repositories (404 elsewhere, as GitHub hides what a token cannot see), only with their
/// permissions (403), and not once expired or revoked (401).
/// </summary>
public sealed partial class FakeGitHubServer
{
    private const string JwtEndpoints = "/api/v3/app";

    /// <summary>The App, once <see cref="EnableApp"/> made one; tokens and JWTs are refused before.</summary>
    public FakeGitHubApp? App { get; private set; }

    /// <summary>The clock tokens and JWTs are judged by (the tests' run clock in end-to-end tests).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public ConcurrentQueue<IssuedToken> IssuedTokens { get; } = new();

    public ConcurrentQueue<VerifiedJwt> VerifiedJwts { get; } = new();

    /// <summary>Requests an installation token was refused for, with the status given.</summary>
    public ConcurrentQueue<(string PathAndQuery, int Status)> RefusedTokenCalls { get; } = new();

    public FakeGitHubApp EnableApp(params string[] repositories)
    {
        App ??= new FakeGitHubApp();
        App.Installations[FakeGitHubApp.InstallationId] = new HashSet<string>(repositories, StringComparer.OrdinalIgnoreCase);
        Accounts[FakeGitHubApp.Login] = (FakeGitHubApp.BotUserId, null, "Bot");
        return App;
    }

    private static bool RequiresJwt(PathString path) =>
        path.StartsWithSegments(JwtEndpoints, StringComparison.Ordinal) || RepositoryInstallation().IsMatch(path.Value ?? "");

    /// <summary>Authorizes a request that does not carry the PAT; false when refused (the answer written, or left to the caller's 401).</summary>
    private async Task<bool> AuthorizeAppAsync(HttpContext context)
    {
        if (App is null) return false;
        var authorization = context.Request.Headers.Authorization.ToString();
        var path = context.Request.Path;
        if (RequiresJwt(path))
        {
            var jwt = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
            if (VerifyJwt(jwt) is { } problem)
            {
                await WriteAsync(context, 401, problem);
                return false;
            }

            return true;
        }

        var token = authorization.Split(' ', 2) is [var scheme, var value]
            && (scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme == "Bearer") ? value : null;
        var issued = token is null ? null : IssuedTokens.FirstOrDefault(t => t.Token == token);
        if (issued is null || issued.RevokedAt is not null || issued.ExpiresAt <= Clock.GetUtcNow()) return Refuse(context, 401);

        var recorded = context.Request.Path + context.Request.QueryString;
        if (path.StartsWithSegments("/api/v3/installation/token") || path.StartsWithSegments("/api/v3/users")) return true;
        if (path == "/api/v3/user")
        {
            await WriteAsync(context, 403, "Resource not accessible by integration");
            RefusedTokenCalls.Enqueue((recorded, 403));
            return false;
        }

        if (RepositoryPath().Match(path.Value ?? "") is not { Success: true } repository) return true;
        if (!issued.Repositories.Contains($"{repository.Groups["owner"].Value}/{repository.Groups["repo"].Value}", StringComparer.OrdinalIgnoreCase))
        {
            await WriteAsync(context, 404, "Not Found");
            RefusedTokenCalls.Enqueue((recorded, 404));
            return false;
        }

        var needed = PermissionFor(repository.Groups["rest"].Value);
        var write = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        var held = issued.Permissions.GetValueOrDefault(needed);
        if (held is null || (write && held != "write"))
        {
            await WriteAsync(context, 403, "Resource not accessible by integration");
            RefusedTokenCalls.Enqueue((recorded, 403));
            return false;
        }

        return true;
    }

    private bool Refuse(HttpContext context, int status)
    {
        RefusedTokenCalls.Enqueue((context.Request.Path + context.Request.QueryString, status));
        return false;
    }

    private static string PermissionFor(string rest) => rest switch
    {
        _ when rest.StartsWith("/collaborators", StringComparison.Ordinal) => "metadata",
        _ when rest.StartsWith("/pulls", StringComparison.Ordinal) => "pull_requests",
        _ when rest.StartsWith("/check-runs", StringComparison.Ordinal) || rest.Contains("/check-runs", StringComparison.Ordinal) => "checks",
        _ when rest.StartsWith("/issues", StringComparison.Ordinal) => "issues",
        _ => "contents",
    };

    /// <summary>Null when the JWT is good; else GitHub's complaint.</summary>
    private string? VerifyJwt(string? jwt)
    {
        if (jwt?.Split('.') is not [var header, var claims, var signature]) return "A JSON web token could not be decoded";
        try
        {
            var head = JsonNode.Parse(Base64Url.DecodeFromChars(header))!;
            if (head["alg"]?.GetValue<string>() != "RS256") return "A JSON web token could not be decoded";
            if (!App!.Verify(Encoding.ASCII.GetBytes(header + "." + claims), Base64Url.DecodeFromChars(signature)))
                return "A JSON web token could not be decoded";
            var body = JsonNode.Parse(Base64Url.DecodeFromChars(claims))!;
            var iat = body["iat"]!.GetValue<long>();
            var exp = body["exp"]!.GetValue<long>();
            var iss = body["iss"]!.ToString();
            var now = Clock.GetUtcNow().ToUnixTimeSeconds();
            if (iss != FakeGitHubApp.Id) return "'Issuer' claim ('iss') must be an Integer or the client ID";
            if (iat > now) return "'Issued at' claim ('iat') must be an Integer representing a time in the past.";
            if (exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.";
            if (exp - iat > 600) return "'Expiration time' claim ('exp') is too far in the future.";
            VerifiedJwts.Enqueue(new VerifiedJwt(iat, exp, iss, Clock.GetUtcNow()));
            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or NullReferenceException or CryptographicException)
        {
            return "A JSON web token could not be decoded";
        }
    }

    private void MapApp(WebApplication app)
    {
        app.MapGet("/api/v3/app", () => Results.Json(new JsonObject
        {
            ["id"] = long.Parse(FakeGitHubApp.Id, System.Globalization.CultureInfo.InvariantCulture), ["slug"] = FakeGitHubApp.Slug,
            ["name"] = "Sandbox Agents (tests)", ["owner"] = User("octo"), ["permissions"] = JsonSerializer.SerializeToNode(App!.Granted),
            ["events"] = new JsonArray("issues", "issue_comment", "installation", "installation_repositories"),
        }));
        app.MapGet("/api/v3/repos/{owner}/{repo}/installation", (string owner, string repo) =>
            App!.InstallationOf($"{owner}/{repo}") is { } id
                ? Results.Json(new JsonObject { ["id"] = id, ["app_id"] = long.Parse(FakeGitHubApp.Id, System.Globalization.CultureInfo.InvariantCulture), ["app_slug"] = FakeGitHubApp.Slug, ["account"] = User(owner), ["repository_selection"] = "selected" })
                : Results.Json(new { message = "Not Found" }, statusCode: 404));
        app.MapPost("/api/v3/app/installations/{id:long}/access_tokens", async (long id, HttpRequest request) => await IssueTokenAsync(id, request));
        app.MapDelete("/api/v3/installation/token", (HttpRequest request) =>
        {
            var token = request.Headers.Authorization.ToString().Split(' ', 2)[1];
            IssuedTokens.First(t => t.Token == token).RevokedAt = Clock.GetUtcNow();
            return Results.NoContent();
        });
    }

    private async Task<IResult> IssueTokenAsync(long installationId, HttpRequest request)
    {
        if (!App!.Installations.TryGetValue(installationId, out var granted)) return Results.Json(new { message = "Not Found" }, statusCode: 404);
        var input = request.ContentLength is > 0 ? (await JsonNode.ParseAsync(request.Body))?.AsObject() : null;
        var owner = granted.First().Split('/')[0];
        var names = input?["repositories"]?.AsArray().Select(n => n!.GetValue<string>()).ToList();
        var repositories = names is null ? [.. granted] : names.Select(n => $"{owner}/{n}").ToList();
        if (repositories.FirstOrDefault(r => !granted.Contains(r)) is { } missing)
            return Results.Json(new { message = $"There is at least one repository that does not exist or is not accessible to the parent installation: {missing}" }, statusCode: 422);
        var permissions = input?["permissions"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()) ?? new Dictionary<string, string>(App.Granted);
        if (permissions.FirstOrDefault(p => !App.Granted.TryGetValue(p.Key, out var level) || (p.Value == "write" && level != "write")) is { Key: not null } excess)
            return Results.Json(new { message = $"The permissions requested are not granted to this installation: {excess.Key}" }, statusCode: 422);

        var now = Clock.GetUtcNow();
        var token = new IssuedToken("ghs_" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36),
            installationId, repositories, permissions, now, now + App.TokenLifetime);
        IssuedTokens.Enqueue(token);
        return Results.Json(new JsonObject
        {
            ["token"] = token.Token,
            ["expires_at"] = token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["permissions"] = JsonSerializer.SerializeToNode(permissions),
            ["repository_selection"] = "selected",
            ["repositories"] = new JsonArray([.. repositories.Select(r => (JsonNode)new JsonObject { ["name"] = r.Split('/')[1], ["full_name"] = r })]),
        }, statusCode: StatusCodes.Status201Created);
    }

    private static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { message, documentation_url = "https://docs.github.com/rest" });
    }

    [GeneratedRegex("^/api/v3/repos/[^/]+/[^/]+/installation$")]
    private static partial Regex RepositoryInstallation();

    [GeneratedRegex("^/api/v3/repos/(?<owner>[^/]+)/(?<repo>[^/]+)(?<rest>/.*)?$")]
    private static partial Regex RepositoryPath();
}
