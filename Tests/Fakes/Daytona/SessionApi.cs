using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// Sessions (API.md §4.2). Create → 201 empty, duplicate → 409; get → 404 when unknown; delete → 204 and kills the
/// session's commands; exec on an unknown session → 500 (the daemon wraps its not-found error); async exec → 202
/// <c>{cmdId}</c>; sync exec waits and answers 200 in the §4.3 format the headers select; logs likewise, and followed
/// over WebSocket (<see cref="LogFollows"/>); over plain HTTP <c>follow=true</c> still answers a snapshot.
/// </summary>
internal static class SessionApi
{
    public static void MapSessionApi(this RouteGroupBuilder toolbox, LogFollows follows)
    {
        toolbox.MapPost("/process/session", async (HttpContext http) =>
        {
            var sandbox = ToolboxApi.Sandbox(http);
            var sessionId = ToolboxApi.Text(await ToolboxApi.ReadObjectAsync(http.Request), "sessionId");
            if (string.IsNullOrWhiteSpace(sessionId)) throw new DaytonaException(400, "sessionId is required");
            if (!sandbox.Sessions.TryAdd(sessionId, new SandboxSession(sessionId)))
                throw new DaytonaException(409, $"session {sessionId} already exists");
            return Results.StatusCode(StatusCodes.Status201Created);
        });
        toolbox.MapGet("/process/session", (HttpContext http) =>
            Results.Json(new JsonArray([.. ToolboxApi.Sandbox(http).Sessions.Values.Select(s => (JsonNode)s.ToJson())])));
        toolbox.MapGet("/process/session/{sessionId}", (HttpContext http, string sessionId) =>
            Results.Json(Session(http, sessionId, 404).ToJson()));
        toolbox.MapDelete("/process/session/{sessionId}", (HttpContext http, string sessionId) =>
        {
            var session = Session(http, sessionId, 404);
            ToolboxApi.Sandbox(http).Sessions.TryRemove(sessionId, out _);
            session.Kill();
            return Results.NoContent();
        });
        toolbox.MapPost("/process/session/{sessionId}/exec", async (HttpContext http, string sessionId) =>
        {
            var session = Session(http, sessionId, 500);
            var body = await ToolboxApi.ReadObjectAsync(http.Request);
            var command = ToolboxApi.Text(body, "command");
            if (string.IsNullOrWhiteSpace(command)) throw new DaytonaException(400, "command is required");
            var sandbox = ToolboxApi.Sandbox(http);
            LocalCommand process;
            try
            {
                process = LocalCommand.Start(command, sandbox.WorkingDirectory, sandbox.CommandEnvironment());
            }
            catch (Win32Exception exception)
            {
                throw new DaytonaException(400, $"failed to start command: {exception.Message}");
            }

            sandbox.Processes.Enqueue(process);
            var executed = new SessionCommand(Guid.NewGuid().ToString(), command, process);
            session.Add(executed);
            if (IsTrue(body, "runAsync") || IsTrue(body, "async"))
                return Results.Json(new JsonObject { ["cmdId"] = executed.Id }, statusCode: StatusCodes.Status202Accepted);

            var exitCode = await process.Completion.WaitAsync(http.RequestAborted);
            var answer = new JsonObject { ["cmdId"] = executed.Id };
            var format = OutputFormats.For(http.Request);
            answer["output"] = format == OutputFormat.Stripped ? process.Output.Stripped : process.Output.Raw;
            if (format == OutputFormat.Split)
            {
                answer["stdout"] = process.Output.Stdout;
                answer["stderr"] = process.Output.Stderr;
            }

            answer["exitCode"] = exitCode;
            return Results.Json(answer);
        });
        toolbox.MapGet("/process/session/{sessionId}/command/{commandId}", (HttpContext http, string sessionId, string commandId) =>
            Results.Json(Command(http, sessionId, commandId).ToJson()));
        toolbox.MapGet("/process/session/{sessionId}/command/{commandId}/logs", async (HttpContext http, string sessionId, string commandId) =>
        {
            var command = Command(http, sessionId, commandId);
            if (http.WebSockets.IsWebSocketRequest && http.Request.Query["follow"] == "true")
            {
                await follows.ServeAsync(http, command, OutputFormats.For(http.Request));
                return Results.Empty;
            }

            var output = command.Process.Output;
            return OutputFormats.For(http.Request) switch
            {
                OutputFormat.Split => Results.Json(new JsonObject { ["output"] = output.Raw, ["stdout"] = output.Stdout, ["stderr"] = output.Stderr }),
                OutputFormat.Raw => Results.Text(output.Raw, "text/plain; charset=utf-8"),
                _ => Results.Text(output.Stripped, "text/plain; charset=utf-8"),
            };
        });
    }

    private static SandboxSession Session(HttpContext http, string sessionId, int statusWhenMissing) =>
        ToolboxApi.Sandbox(http).Sessions.TryGetValue(sessionId, out var session)
            ? session
            : throw new DaytonaException(statusWhenMissing, $"session {sessionId} not found");

    private static SessionCommand Command(HttpContext http, string sessionId, string commandId) =>
        Session(http, sessionId, 404).Find(commandId) ?? throw new DaytonaException(404, $"command {commandId} not found");

    private static bool IsTrue(JsonObject body, string key) => body[key]?.GetValueKind() == JsonValueKind.True;
}
