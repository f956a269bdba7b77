using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// The main API's sandbox routes under <c>/api</c> (API.md §2), with the server's status codes: 200 for create, get,
/// list, delete, start, stop and labels; 201 for the auto-stop/archive/delete setters (the spec says 200).
/// </summary>
internal static class SandboxApi
{
    public static RouteGroupBuilder MapSandboxApi(this IEndpointRouteBuilder routes, SandboxStore store)
    {
        var api = routes.MapGroup("/api/sandbox");
        api.MapPost("", async (HttpRequest request) =>
            Results.Json(store.Create(CreateSandboxRequest.Parse(await ReadJsonAsync(request)))));
        api.MapGet("", (HttpRequest request) =>
            Results.Json(SandboxListQuery.Apply(request.Query, store.ListItems(Flag(request.Query["includeErroredDeleted"].ToString())))));
        api.MapGet("/{idOrName}", (string idOrName) => Results.Json(store.Get(idOrName)));
        api.MapDelete("/{idOrName}", (string idOrName) => Results.Json(store.Delete(idOrName)));
        api.MapPost("/{idOrName}/stop", (string idOrName) => Results.Json(store.Stop(idOrName)));
        api.MapPost("/{idOrName}/start", (string idOrName) => Results.Json(store.Start(idOrName)));
        api.MapGet("/{idOrName}/toolbox-proxy-url", (string idOrName) =>
            Results.Json(new JsonObject { ["url"] = store.Get(idOrName)["toolboxProxyUrl"]!.GetValue<string>() }));
        api.MapPut("/{idOrName}/labels", async (string idOrName, HttpRequest request) =>
        {
            var labels = (await ReadJsonAsync(request))?["labels"] as JsonObject ?? throw new DaytonaException(400, "labels must be an object");
            var replaced = labels.ToDictionary(l => l.Key, l => l.Value?.ToString() ?? "");
            var sandbox = store.Update(idOrName, s => s.Labels = replaced);
            return Results.Json(new JsonObject { ["labels"] = sandbox["labels"]!.DeepClone() });
        });
        api.MapPost("/{idOrName}/autostop/{minutes}", (string idOrName, string minutes) =>
            Created(store.Update(idOrName, s => s.AutoStopInterval = Minutes(minutes, min: 0))));
        api.MapPost("/{idOrName}/autoarchive/{minutes}", (string idOrName, string minutes) =>
            Created(store.Update(idOrName, s => s.AutoArchiveInterval = SandboxStore.ArchiveInterval(Minutes(minutes, min: 0)))));
        api.MapPost("/{idOrName}/autodelete/{minutes}", (string idOrName, string minutes) =>
            Created(store.Update(idOrName, s => s.AutoDeleteInterval = Minutes(minutes, min: -1))));
        return api;
    }

    private static IResult Created(JsonObject sandbox) => Results.Json(sandbox, statusCode: StatusCodes.Status201Created);

    /// <summary>NestJS <c>ParseIntPipe</c>: a non-integer path segment is a 400 with this message.</summary>
    private static int Minutes(string text, int min)
    {
        if (!int.TryParse(text, out var minutes)) throw new DaytonaException(400, "Validation failed (numeric string is expected)");
        if (minutes < min) throw new DaytonaException(400, $"Interval must be at least {min}");
        return minutes;
    }

    private static bool Flag(string text) => text.Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A body with no Content-Type is parsed as JSON too (API.md §1).</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpRequest request)
    {
        var text = await new StreamReader(request.Body).ReadToEndAsync();
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new DaytonaException(400, "Invalid JSON body");
        }
    }
}
