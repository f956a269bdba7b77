namespace SandboxAgents.GitHub;

/// <summary>
/// When to ask GitHub again. A rate limit that says how long is obeyed exactly (never sooner); one that does not waits
/// at least a minute, doubled for each limit met in a row and jittered, as GitHub's REST API guidance asks. Other
/// failures back off exponentially from a chosen first delay.
/// </summary>
public static class GitHubBackoff
{
    /// <summary>The least wait after a rate limit that did not say how long.</summary>
    public static readonly TimeSpan UntoldLimitWait = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait after a rate limit that did not say how long.</summary>
    public static readonly TimeSpan UntoldLimitCap = TimeSpan.FromMinutes(30);

    /// <summary>When the next request may go, after the <paramref name="inARow"/>th limit in a row (1 for the first).</summary>
    public static DateTimeOffset NextAttempt(GitHubRateLimitedException limit, int inARow, DateTimeOffset now)
    {
        if (limit.AllowedFrom(now) is { } told) return told > now ? told : now;
        return now + Jittered(UntoldLimitWait, inARow, UntoldLimitCap);
    }

    /// <summary><paramref name="first"/> doubled for each attempt after the first, at most <paramref name="cap"/>, plus up to a quarter more at random.</summary>
    public static TimeSpan Jittered(TimeSpan first, int attempt, TimeSpan cap)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var wait = Math.Min(first.Ticks * Math.Pow(2, doublings), cap.Ticks);
        return TimeSpan.FromTicks((long)(wait * (1 + (Random.Shared.NextDouble() / 4))));
    }
}
