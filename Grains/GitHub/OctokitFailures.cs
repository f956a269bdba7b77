using System.Globalization;
using System.Net;
using Octokit;

namespace SandboxAgents.GitHub;

/// <summary>
/// Turns what Octokit throws into the port's own exceptions, so nothing past the adapter sees an Octokit type: a rate
/// limit (Octokit's <see cref="RateLimitExceededException"/> and <see cref="SecondaryRateLimitExceededException"/> on
/// 403, a plain <see cref="ApiException"/> on 429, which Octokit does not map) with the waits its headers give; a
/// transport failure, time-out or 5xx as <see cref="GitHubUnavailableException"/>; any other refusal as
/// <see cref="GitHubRequestException"/>.
/// </summary>
internal static class OctokitFailures
{
    public static async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public static Task GuardAsync(Func<Task> call, CancellationToken cancellationToken) =>
        GuardAsync(async () => { await call(); return true; }, cancellationToken);

    public static Exception? Translate(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        ApiException api when RateLimit(api) is { } limited => limited,
        ApiException api when (int)api.StatusCode >= 500 =>
            new GitHubUnavailableException($"GitHub answered {(int)api.StatusCode}: {api.Message}", api),
        ApiException api => new GitHubRequestException((int)api.StatusCode, $"GitHub answered {(int)api.StatusCode}: {api.Message}", api),
        HttpRequestException http => new GitHubUnavailableException($"GitHub could not be reached: {http.Message}", http),
        // Octokit's own request time-out; the caller's cancellation stays a cancellation.
        OperationCanceledException timedOut when !cancellationToken.IsCancellationRequested =>
            new GitHubUnavailableException("GitHub did not answer in time.", timedOut),
        _ => null,
    };

    private static GitHubRateLimitedException? RateLimit(ApiException api)
    {
        var status = (int)api.StatusCode;
        if (status is not (StatusCodes.Forbidden or StatusCodes.TooManyRequests)) return null;
        var headers = api.HttpResponse?.Headers;
        var retryAfter = RetryAfter(Header(headers, "Retry-After"));
        var resetAt = Header(headers, "x-ratelimit-remaining") == "0" ? ResetAt(Header(headers, "x-ratelimit-reset")) : null;
        var limited = status == StatusCodes.TooManyRequests
            || api is RateLimitExceededException or SecondaryRateLimitExceededException
            || retryAfter is not null || resetAt is not null;
        return limited ? new GitHubRateLimitedException($"GitHub's rate limit ({status}): {api.Message}", retryAfter, resetAt, api) : null;
    }

    private static string? Header(IReadOnlyDictionary<string, string>? headers, string name) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Trim();

    /// <summary>Whole seconds, as GitHub sends it (an HTTP date, which GitHub does not send, counts as not said).</summary>
    private static TimeSpan? RetryAfter(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary><c>x-ratelimit-reset</c>: the end of the window, in UTC epoch seconds.</summary>
    private static DateTimeOffset? ResetAt(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;

    private static class StatusCodes
    {
        public const int Forbidden = (int)HttpStatusCode.Forbidden;
        public const int TooManyRequests = (int)HttpStatusCode.TooManyRequests;
    }
}
