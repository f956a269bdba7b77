using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// Faults the fake GitHub can answer chosen calls with, shaped as GitHub sends them: a secondary rate limit (403,
/// GitHub's message, <c>Retry-After</c>), a primary one (403 with <c>x-ratelimit-remaining: 0</c> and
/// <c>x-ratelimit-reset</c>), a 429, a 5xx, or a dropped connection.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly ConcurrentQueue<GitHubFault> _faults = new();

    /// <summary>The next <paramref name="times"/> requests with this method whose path (after <c>/api/v3</c>) ends with <paramref name="pathEnd"/> get the fault.</summary>
    public void FailNext(string method, string pathEnd, int times, GitHubFaultKind kind, TimeSpan? retryAfter = null, DateTimeOffset? resetAt = null)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(new GitHubFault(method, pathEnd, kind, retryAfter, resetAt));
    }

    /// <summary>Requests with this method and path end that were made so far, answered or faulted.</summary>
    public int CountOf(string method, string pathEnd) =>
        Requests.Count(r => r.Method == method && r.PathAndQuery.Split('?')[0].EndsWith(pathEnd, StringComparison.Ordinal));

    private async Task<bool> TryAnswerWithFaultAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var fault = TakeFault(context.Request.Method, path);
        if (fault is null) return false;
        var response = context.Response;
        switch (fault.Kind)
        {
            case GitHubFaultKind.SecondaryRateLimit:
                response.StatusCode = StatusCodes.Status403Forbidden;
                if (fault.RetryAfter is { } wait) response.Headers.RetryAfter = Seconds(wait);
                await response.WriteAsJsonAsync(new
                {
                    message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.",
                    documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                    status = "403",
                });
                break;
            case GitHubFaultKind.PrimaryRateLimit:
                response.StatusCode = StatusCodes.Status403Forbidden;
                response.Headers["x-ratelimit-limit"] = "5000";
                response.Headers["x-ratelimit-remaining"] = "0";
                response.Headers["x-ratelimit-used"] = "5000";
                response.Headers["x-ratelimit-resource"] = "core";
                response.Headers["x-ratelimit-reset"] = fault.ResetAt!.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new
                {
                    message = "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.",
                    documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
                    status = "403",
                });
                break;
            case GitHubFaultKind.TooManyRequests:
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (fault.RetryAfter is { } later) response.Headers.RetryAfter = Seconds(later);
                await response.WriteAsJsonAsync(new { message = "Too many requests", documentation_url = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" });
                break;
            case GitHubFaultKind.ServerError:
                response.StatusCode = StatusCodes.Status502BadGateway;
                await response.WriteAsJsonAsync(new { message = "Server Error" });
                break;
            case GitHubFaultKind.DroppedConnection:
                context.Abort();
                break;
        }

        return true;
    }

    private GitHubFault? TakeFault(string method, string path)
    {
        lock (_faults)
        {
            var all = _faults.ToList();
            var match = all.FindIndex(f => f.Method == method && path.EndsWith(f.PathEnd, StringComparison.Ordinal));
            if (match < 0) return null;
            var fault = all[match];
            all.RemoveAt(match);
            _faults.Clear();
            foreach (var rest in all) _faults.Enqueue(rest);
            return fault;
        }
    }

    private static string Seconds(TimeSpan wait) => ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private sealed record GitHubFault(string Method, string PathEnd, GitHubFaultKind Kind, TimeSpan? RetryAfter, DateTimeOffset? ResetAt);
}

public enum GitHubFaultKind
{
    SecondaryRateLimit,
    PrimaryRateLimit,
    TooManyRequests,
    ServerError,
    DroppedConnection,
}
