using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// The toolbox as the proxy serves it: <c>/toolbox/{sandboxId}/&lt;daemon path&gt;</c> (API.md §1, §4). Every route
/// first finds the sandbox (404 when gone, 400 when not started) and marks activity unless
/// <c>X-Daytona-Skip-Last-Activity-Update: true</c>.
/// </summary>
internal static class ToolboxApi
{
    public const string SkipActivityHeader = "X-Daytona-Skip-Last-Activity-Update";
    private const string SandboxKey = "fake-daytona-sandbox";

    public static RouteGroupBuilder MapToolboxApi(this IEndpointRouteBuilder routes, SandboxStore store, TimeProvider time, LogFollows follows)
    {
        var toolbox = routes.MapGroup("/toolbox/{sandboxId}");
        toolbox.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var touch = !http.Request.Headers[SkipActivityHeader].ToString().Equals("true", StringComparison.OrdinalIgnoreCase);
            http.Items[SandboxKey] = store.ForToolbox((string)http.GetRouteValue("sandboxId")!, touch);
            return await next(context);
        });
        toolbox.MapGet("/work-dir", (HttpContext http) => Results.Json(new JsonObject { ["dir"] = Sandbox(http).WorkingDirectory }));
        toolbox.MapGet("/user-home-dir", (HttpContext http) => Results.Json(new JsonObject { ["dir"] = Sandbox(http).WorkingDirectory }));
        toolbox.MapProcessApi(time);
        toolbox.MapSessionApi(follows);
        toolbox.MapFileApi();
        return toolbox;
    }

    public static FakeSandbox Sandbox(HttpContext http) => (FakeSandbox)http.Items[SandboxKey]!;

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject ?? throw new DaytonaException(400, "invalid request body");
        }
        catch (JsonException exception)
        {
            throw new DaytonaException(400, $"invalid request body: {exception.Message}");
        }
    }

    public static string? Text(JsonObject body, string key) =>
        body[key]?.GetValueKind() == JsonValueKind.String ? body[key]!.GetValue<string>() : null;
}
