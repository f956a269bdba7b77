using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// <c>POST /process/execute</c> (API.md §4.1): <c>{command, cwd?, envs?, timeout?}</c> → 200
/// <c>{exitCode, result}</c> with stdout and stderr merged in order (one pipe, as the daemon's combined output); a command that cannot start → 200 with exitCode -1; past
/// <c>timeout</c> seconds the process group is killed and the answer is 408. No timeout when omitted or 0, as in v0.190.
/// </summary>
internal static class ProcessApi
{
    public static void MapProcessApi(this RouteGroupBuilder toolbox, TimeProvider time)
    {
        toolbox.MapPost("/process/execute", async (HttpContext http) =>
        {
            var sandbox = ToolboxApi.Sandbox(http);
            var body = await ToolboxApi.ReadObjectAsync(http.Request);
            var command = ToolboxApi.Text(body, "command");
            if (string.IsNullOrWhiteSpace(command)) throw new DaytonaException(400, "command is required");
            var cwd = ToolboxApi.Text(body, "cwd") is { } given ? SandboxPaths.Resolve(sandbox, given) : sandbox.WorkingDirectory;
            var envs = body["envs"] is JsonObject map ? map.ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "") : null;
            var timeout = body["timeout"]?.GetValueKind() == JsonValueKind.Number ? body["timeout"]!.GetValue<int>() : 0;

            LocalCommand process;
            try
            {
                process = LocalCommand.Start(command, cwd, sandbox.CommandEnvironment(envs), mergeStderr: true);
            }
            catch (Win32Exception exception)
            {
                return Results.Json(new JsonObject { ["exitCode"] = -1, ["result"] = exception.Message });
            }

            sandbox.Processes.Enqueue(process);
            using var limit = timeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(timeout), time) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, http.RequestAborted);
            try
            {
                var exitCode = await process.Completion.WaitAsync(linked.Token);
                return Results.Json(new JsonObject { ["exitCode"] = exitCode, ["result"] = process.Output.Stripped });
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await ((Task)process.Completion).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!limit.IsCancellationRequested) throw;
                throw new DaytonaException(StatusCodes.Status408RequestTimeout, "command execution timeout");
            }
        });
    }
}
