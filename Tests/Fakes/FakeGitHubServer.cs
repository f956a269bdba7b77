using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A fake GitHub REST API on a loopback port, served under <c>/api/v3/</c> as GitHub Enterprise does (Octokit rewrites
/// any other host to that prefix). It implements the endpoints the service calls with GitHub's shapes and status
/// codes, checks the token, and records every request. The GitHub App's side (JWTs, installation tokens, webhook
/// deliveries) is in <c>FakeGitHubServer.App.cs</c> and beside it.
/// </summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, JsonObject> _comments = new();
    private readonly ConcurrentDictionary<string, List<long>> _issueComments = new();
    private readonly ConcurrentDictionary<int, JsonObject> _pulls = new();
    private long _nextId = 5000;
    private int _nextPull;

    private FakeGitHubServer(WebApplication app, string token) => (_app, AcceptedToken) = (app, token);

    public const string Token = "ghp_FakeTokenForTestsOnly0123456789abcd";

    /// <summary>The one token this fake accepts (<see cref="Token"/> unless the test chose another).</summary>
    public string AcceptedToken { get; }

    public Uri BaseUrl { get; private set; } = null!;
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Runs as each request arrives, before it is handled (crash tests kill the service here).</summary>
    public Func<RecordedRequest, Task>? BeforeHandling { get; set; }
    public ConcurrentDictionary<string, string> Permissions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Reactions by target (<c>issue:owner/repo#n</c> or <c>comment:id</c>) and content.</summary>
    public ConcurrentDictionary<string, string> Reactions { get; } = new(StringComparer.Ordinal);

    /// <summary>Issues by <c>owner/repo#number</c>; any other issue is answered 404, as GitHub does.</summary>
    public ConcurrentDictionary<string, (string Title, string Body)> Issues { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<JsonObject> CommentsOn(string repository, int number) =>
        _issueComments.TryGetValue($"{repository}#{number}", out var ids) ? [.. ids.Select(id => _comments[id])] : [];

    public IReadOnlyList<JsonObject> PullRequestsFor(string repository) =>
        [.. _pulls.Values.Where(p => p["base"]!["repo"]!["full_name"]!.GetValue<string>() == repository)];

    public static async Task<FakeGitHubServer> StartAsync(string token = Token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeGitHubServer(app, token);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            var recorded = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body);
            Requests.Enqueue(recorded);
            if (BeforeHandling is { } hook) await hook(recorded);
            // GitHub accepts both schemes for a token; Octokit sends "Token".
            var authorization = context.Request.Headers.Authorization.ToString();
            var isAcceptedToken = authorization.Equals($"token {AcceptedToken}", StringComparison.OrdinalIgnoreCase) || authorization == $"Bearer {AcceptedToken}";
            isAcceptedToken &= !RequiresJwt(context.Request.Path);
            if (!isAcceptedToken && !await AuthorizeAppAsync(context))
            {
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await context.Response.WriteAsJsonAsync(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" });
                }

                return;
            }

            if (await TryAnswerWithFaultAsync(context)) return;
            await next(context);
        });
        MapApp(app);
        MapUsers(app);
        MapDeliveries(app);

        var api = app.MapGroup("/api/v3/repos/{owner}/{repo}");
        api.MapGet("/collaborators/{user}/permission", (string user) =>
        {
            var permission = Permissions.GetValueOrDefault(user, "write");
            var legacy = permission switch { "maintain" => "write", "triage" => "read", _ => permission };
            return Results.Json(new JsonObject { ["permission"] = legacy, ["role_name"] = permission, ["user"] = User(user) });
        });
        api.MapGet("/issues/{number:int}", (string owner, string repo, int number) =>
            Issues.TryGetValue($"{owner}/{repo}#{number}", out var issue)
                ? Results.Json(new JsonObject { ["id"] = number, ["number"] = number, ["title"] = issue.Title, ["body"] = issue.Body, ["state"] = "open", ["user"] = User("author") })
                : Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/issues/issues#get-an-issue" }, statusCode: 404));
        api.MapGet("/issues/{number:int}/comments", (string owner, string repo, int number, HttpContext context) =>
            ListComments($"{owner}/{repo}", number, context));
        api.MapPost("/issues/{number:int}/comments", async (string owner, string repo, int number, HttpRequest request) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!["body"]!.GetValue<string>();
            var id = Interlocked.Increment(ref _nextId);
            var comment = new JsonObject
            {
                ["id"] = id, ["body"] = body, ["user"] = User("sandbox-agents"), ["edits"] = 0,
                ["html_url"] = $"https://github.example/{owner}/{repo}/issues/{number}#issuecomment-{id}",
                ["created_at"] = "2026-11-28T09:00:00Z", ["updated_at"] = "2026-11-28T09:00:00Z",
            };
            _comments[id] = comment;
            _issueComments.AddOrUpdate($"{owner}/{repo}#{number}", [id], (_, ids) => { lock (ids) ids.Add(id); return ids; });
            return Results.Json(comment, statusCode: StatusCodes.Status201Created);
        });
        api.MapMethods("/issues/comments/{id:long}", ["PATCH"], async (long id, HttpRequest request) =>
        {
            if (!_comments.TryGetValue(id, out var comment)) return Results.Json(new { message = "Not Found" }, statusCode: 404);
            comment["body"] = (await JsonNode.ParseAsync(request.Body))!["body"]!.GetValue<string>();
            comment["edits"] = comment["edits"]!.GetValue<int>() + 1;
            return Results.Json(comment);
        });
        api.MapPost("/issues/{number:int}/reactions", async (string owner, string repo, int number, HttpRequest request) =>
            await ReactAsync($"issue:{owner}/{repo}#{number}", request));
        // Comments written by people on GitHub are not in this fake's store; any comment id is taken to exist.
        api.MapPost("/issues/comments/{id:long}/reactions", async (long id, HttpRequest request) => await ReactAsync($"comment:{id}", request));
        api.MapGet("/pulls", (string owner, string repo, string? state, string? head) =>
            Results.Json(new JsonArray([.. _pulls.Values
                .Where(p => p["base"]!["repo"]!["full_name"]!.GetValue<string>() == $"{owner}/{repo}")
                .Where(p => state is null or "all" || p["state"]!.GetValue<string>() == state)
                .Where(p => head is null || head == $"{owner}:{p["head"]!["ref"]!.GetValue<string>()}")
                .Select(p => (JsonNode)p.DeepClone())])));
        api.MapPost("/pulls", async (string owner, string repo, HttpRequest request) =>
        {
            var input = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            var head = input["head"]!.GetValue<string>();
            if (_pulls.Values.Any(p => p["head"]!["ref"]!.GetValue<string>() == head && p["state"]!.GetValue<string>() == "open"))
                return Results.Json(new { message = "Validation Failed", errors = new[] { new { message = $"A pull request already exists for {owner}:{head}." } } }, statusCode: 422);
            var number = Interlocked.Increment(ref _nextPull);
            var pull = new JsonObject
            {
                ["id"] = 90000 + number, ["number"] = number, ["state"] = "open",
                ["title"] = input["title"]!.GetValue<string>(), ["body"] = input["body"]?.GetValue<string>(),
                ["draft"] = input["draft"]?.GetValue<bool>() ?? false,
                ["html_url"] = $"https://github.example/{owner}/{repo}/pull/{number}",
                ["merged"] = false,
                ["head"] = new JsonObject { ["ref"] = head, ["sha"] = HeadShaOf($"{owner}/{repo}", head) },
                ["base"] = new JsonObject { ["ref"] = input["base"]!.GetValue<string>(), ["repo"] = new JsonObject { ["full_name"] = $"{owner}/{repo}" } },
                ["user"] = User("sandbox-agents"),
            };
            _pulls[number] = pull;
            return Results.Json(pull, statusCode: StatusCodes.Status201Created);
        });
        MapPullRequests(api);
    }

    /// <summary>GitHub answers 201 for a new reaction and 200 when the same one already exists.</summary>
    private async Task<IResult> ReactAsync(string target, HttpRequest request)
    {
        var content = (await JsonNode.ParseAsync(request.Body))!["content"]!.GetValue<string>();
        var created = Reactions.TryAdd($"{target}:{content}", content);
        return Results.Json(new JsonObject { ["id"] = 1, ["content"] = content, ["user"] = User("sandbox-agents") },
            statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static JsonObject User(string login) => new() { ["login"] = login, ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)), ["type"] = "User" };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Method, string PathAndQuery, string Body);
