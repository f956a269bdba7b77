using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>The two error bodies (API.md §5): the API's NestJS filter and the daemon's middleware.</summary>
internal static class DaytonaErrors
{
    /// <summary><c>{path, timestamp, statusCode, error, message}</c>, as apps/api all-exceptions.filter.ts writes it.</summary>
    public static IResult Api(HttpContext context, int statusCode, string message) =>
        Results.Json(ApiBody(context, statusCode, message), statusCode: statusCode);

    public static JsonObject ApiBody(HttpContext context, int statusCode, string message) => new()
    {
        ["path"] = context.Request.Path.Value + context.Request.QueryString.Value,
        ["timestamp"] = Timestamp(context),
        ["statusCode"] = statusCode,
        ["error"] = ReasonPhrases.GetReasonPhrase(statusCode),
        ["message"] = message,
    };

    /// <summary><c>{statusCode, message, code, timestamp, path, method}</c>, as the daemon's error middleware writes it.</summary>
    public static IResult Toolbox(HttpContext context, int statusCode, string message) =>
        Results.Json(ToolboxBody(context, statusCode, message), statusCode: statusCode);

    public static JsonObject ToolboxBody(HttpContext context, int statusCode, string message) => new()
    {
        ["statusCode"] = statusCode,
        ["message"] = message,
        ["code"] = ReasonPhrases.GetReasonPhrase(statusCode).ToUpperInvariant().Replace(' ', '_'),
        ["timestamp"] = Timestamp(context),
        ["path"] = DaemonPath(context.Request.Path.Value ?? ""),
        ["method"] = context.Request.Method,
    };

    /// <summary>The path the daemon sees: the proxy strips <c>/toolbox/{sandboxId}</c>.</summary>
    private static string DaemonPath(string path)
    {
        var parts = path.Split('/', 4);
        return parts.Length == 4 && parts[1] == "toolbox" ? "/" + parts[3] : path;
    }

    private static string Timestamp(HttpContext context) =>
        Iso(context.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System);

    public static string Iso(TimeProvider time) => Iso(time.GetUtcNow());

    public static string Iso(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
