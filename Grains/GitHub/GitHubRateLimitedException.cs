namespace SandboxAgents.GitHub;

/// <summary>
/// GitHub refused a request under a primary or secondary rate limit (403 or 429), and said how long to wait when it
/// did: <c>Retry-After</c> (<see cref="RetryAfter"/>), or <c>x-ratelimit-reset</c> with <c>x-ratelimit-remaining: 0</c>
/// (<see cref="ResetAt"/>). No request should be made before <see cref="AllowedFrom"/>.
/// </summary>
public sealed class GitHubRateLimitedException(string message, TimeSpan? retryAfter, DateTimeOffset? resetAt, Exception? innerException = null)
    : Exception(message, innerException)
{
    public TimeSpan? RetryAfter => retryAfter;

    public DateTimeOffset? ResetAt => resetAt;

    /// <summary>The earliest time GitHub allows the next request, given when the answer came; null when GitHub did not say.</summary>
    public DateTimeOffset? AllowedFrom(DateTimeOffset answeredAt)
    {
        DateTimeOffset? after = retryAfter is { } wait ? answeredAt + wait : null;
        return (after, resetAt) switch
        {
            ({ } a, { } r) => a > r ? a : r,
            ({ } a, null) => a,
            (null, { } r) => r,
            _ => null,
        };
    }
}
