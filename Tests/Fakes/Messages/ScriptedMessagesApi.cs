using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Fakes.Messages;

/// <summary>
/// The Anthropic Messages API on a loopback port, as far as the real Claude Code CLI uses it: <c>POST /v1/messages</c>
/// (the CLI adds <c>?beta=true</c>) answered with server-sent events from a <see cref="ModelScript"/>, and
/// <c>GET /api/hello</c> answered 404 as the CLI tolerates. Many runs share one server: a request plays the script whose
/// tag its conversation contains (the tag is in the issue's title, so in the agent's task), and unknown conversations get
/// the API's 400. Errors carry the API's error body and <c>x-should-retry: false</c>, as the real API sends them for
/// requests that cannot succeed, so the CLI reports them at once instead of retrying for minutes.
/// </summary>
public sealed partial class ScriptedMessagesApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ModelScript> _scripts = new(StringComparer.Ordinal);
    private int _messages;

    private ScriptedMessagesApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ScriptedMessagesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new ScriptedMessagesApi(app);
        app.MapPost("/v1/messages", api.MessagesAsync);
        app.MapGet("/api/hello", NotFoundAsync);
        app.MapFallback(NotFoundAsync);
        await app.StartAsync();
        api.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    /// <summary>Plays <paramref name="script"/> to every conversation whose text contains <paramref name="tag"/>.</summary>
    public ModelScript Play(string tag, ModelScript script)
    {
        if (!_scripts.TryAdd(tag, script)) throw new InvalidOperationException($"A script for {tag} is already playing.");
        return script;
    }

    private async Task MessagesAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (JsonNode.Parse(text) is not JsonObject request || request["messages"] is not JsonArray messages)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "messages: Field required");
            return;
        }

        var model = request["model"]?.GetValue<string>() ?? "";
        if (_scripts.FirstOrDefault(s => text.Contains(s.Key, StringComparison.Ordinal)).Value is not { } script)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "the scripted model has no script for this conversation");
            return;
        }

        script.Record(messages);
        var turn = script.Answer(messages.Count(m => m?["role"]?.GetValue<string>() == "assistant"), model);
        await turn.Gate.WaitAsync(context.RequestAborted);
        if (turn is ErrorTurn error)
        {
            await ErrorAsync(context, error.Status, error.ErrorType, error.Message);
            return;
        }

        if (request["stream"]?.GetValue<bool>() != true)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "the scripted model only streams");
            return;
        }

        var id = $"msg_scripted_{Interlocked.Increment(ref _messages):D4}";
        await MessagesStream.WriteAsync(context, model, id, turn, WorkingDirectory(text));
    }

    /// <summary>The CLI states its working directory in its system context; tool inputs with paths need it.</summary>
    private static string WorkingDirectory(string request) =>
        JsonSerializer.Deserialize<string>($"\"{PrimaryWorkingDirectory().Match(request).Groups[1].Value}\"") is { Length: > 0 } path ? path : "/";

    [GeneratedRegex(@"Primary working directory: ((?:[^\\""]|\\[^n])*)")]
    private static partial Regex PrimaryWorkingDirectory();

    private static Task NotFoundAsync(HttpContext context) => ErrorAsync(context, StatusCodes.Status404NotFound, "not_found_error", "Not Found");

    /// <summary>The API's error answer: <c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c>.</summary>
    private static async Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        var requestId = "req_scripted_" + Guid.NewGuid().ToString("N")[..12];
        context.Response.StatusCode = status;
        context.Response.Headers["request-id"] = requestId;
        context.Response.Headers["x-should-retry"] = "false";
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
            ["request_id"] = requestId,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
