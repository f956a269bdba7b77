using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Gateway.Events;

/// <summary><c>GET /api/tasks/events</c>: server-sent events, one <c>run</c> event per change of any issue's latest run.</summary>
public static class RunEventsApi
{
    public static RouteHandlerBuilder MapRunEvents(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/tasks/events", StreamAsync).WithTags("Tasks").WithSummary("Live run changes as server-sent events.")
            .RequireOperator(OperatorAccess.Read);

    private static async Task StreamAsync(HttpContext context, RunEventHub hub, IOptions<JsonOptions> json)
    {
        var cancellation = context.RequestAborted;
        var changes = hub.Listen(cancellation);
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(": connected\n\n", cancellation);
        await context.Response.Body.FlushAsync(cancellation);
        try
        {
            await foreach (var change in changes.ReadAllAsync(cancellation))
            {
                var data = JsonSerializer.Serialize(change, json.Value.SerializerOptions);
                await context.Response.WriteAsync($"event: run\ndata: {data}\n\n", cancellation);
                await context.Response.Body.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The browser went away.
        }
    }
}
