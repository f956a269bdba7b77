using System.Diagnostics;

namespace SandboxAgents.Bench.Shared;

/// <summary>Waits for a service process the benchmark started to answer <c>/healthz</c>, or fails if it exits first.</summary>
internal static class HealthWait
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static async Task UntilHealthyAsync(Process process, Uri url, string name)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Limit)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited at start with code {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{name} did not answer /healthz within {Limit.TotalSeconds:0} s.");
    }
}
