using System.Globalization;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// Retries with exponential, jittered back-off for 429, 408, 5xx and transport errors, waiting as long as Daytona's
/// <c>Retry-After-{throttler}</c> headers ask; a per-attempt and a total time-out; a circuit breaker. Requests that
/// would act twice if repeated (creating a sandbox, starting a command) are never retried here: their callers check
/// what happened instead.
/// </summary>
internal static class DaytonaResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, DaytonaOptions options)
    {
        pipeline.AddTimeout(options.TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryDelay,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(
                !IsUnrepeatable(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(15),
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>The longest wait any <c>Retry-After</c> or <c>Retry-After-{throttler}</c> header asks for, if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is null) return null;
        TimeSpan? longest = response.Headers.RetryAfter?.Delta;
        foreach (var (name, values) in response.Headers)
        {
            if (!name.StartsWith("Retry-After", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values)
            {
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && (longest is null || seconds > longest.Value.TotalSeconds))
                    longest = TimeSpan.FromSeconds(seconds);
            }
        }

        return longest;
    }

    private static bool IsUnrepeatable(HttpRequestMessage? request) =>
        request is { Method.Method: "POST", RequestUri.AbsolutePath: var path }
        && (path.EndsWith("/sandbox", StringComparison.Ordinal) || path.EndsWith("/exec", StringComparison.Ordinal) || path.EndsWith("/process/execute", StringComparison.Ordinal));
}
