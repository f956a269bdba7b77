using System.Globalization;

namespace SandboxAgents.Runs;

/// <summary>How every text the service writes shows a span of time: 4.2s, 42s, 3m 7s, 2h 5m.</summary>
internal static class DurationText
{
    public static string Of(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
        : span.TotalSeconds >= 10 ? $"{span.Seconds}s"
        : $"{Math.Max(0, span.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture)}s";
}
