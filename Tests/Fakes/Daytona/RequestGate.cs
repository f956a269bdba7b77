using System.Text;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// What every request passes before its route: it is recorded, its Bearer key checked (401 otherwise), delayed by
/// the configured latency, and answered by a queued fault if one matches. A <see cref="DaytonaException"/> from a
/// route becomes the error body of the side it came in on: the API's under <c>/api</c>, the daemon's under
/// <c>/toolbox</c>.
/// </summary>
internal sealed class RequestGate(string apiKey, DaytonaFaults faults, TimeProvider time, Func<DaytonaRequest, Task> record)
{
    private const string TooManyRequests = "ThrottlerException: Too Many Requests";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = await RecordAsync(context.Request);
        await record(request);
        try
        {
            if (context.Request.Headers.Authorization.ToString() != $"Bearer {apiKey}")
                throw new DaytonaException(StatusCodes.Status401Unauthorized, "Unauthorized");
            if (faults.Latency > TimeSpan.Zero) await Task.Delay(faults.Latency, time, context.RequestAborted);
            if (faults.Take(request) is { } fault)
            {
                if (fault.StatusCode == StatusCodes.Status429TooManyRequests) AddRateLimitHeaders(context, fault.RetryAfter);
                throw new DaytonaException(fault.StatusCode, fault.StatusCode == 429 ? TooManyRequests : "An unexpected error occurred.");
            }

            await next(context);
        }
        catch (DaytonaException failure) when (!context.Response.HasStarted)
        {
            var body = request.IsToolbox
                ? DaytonaErrors.Toolbox(context, failure.StatusCode, failure.Message)
                : DaytonaErrors.Api(context, failure.StatusCode, failure.Message);
            await body.ExecuteAsync(context);
        }
    }

    /// <summary>@nestjs/throttler headers, suffixed with the throttler's name (API.md §5); limits of tier 1.</summary>
    private static void AddRateLimitHeaders(HttpContext context, TimeSpan retryAfter)
    {
        var throttler = Throttlers.For(context.Request.Method, context.Request.Path.Value ?? "");
        var seconds = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        var headers = context.Response.Headers;
        headers[$"Retry-After-{throttler}"] = seconds;
        headers[$"X-RateLimit-Limit-{throttler}"] = throttler == Throttlers.SandboxCreate ? "300" : "10000";
        headers[$"X-RateLimit-Remaining-{throttler}"] = "0";
        headers[$"X-RateLimit-Reset-{throttler}"] = seconds;
    }

    private static async Task<DaytonaRequest> RecordAsync(HttpRequest request)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string body;
        if (request.HasFormContentType)
        {
            body = $"<{request.ContentType}, {request.ContentLength?.ToString() ?? "chunked"} bytes>";
        }
        else
        {
            request.EnableBuffering();
            body = await new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
            request.Body.Position = 0;
        }

        return new DaytonaRequest(request.Method, request.Path.Value + request.QueryString.Value, headers, body);
    }
}
