using System.Diagnostics;
using System.Globalization;

namespace SandboxAgents.Bench.Load;

/// <summary>How one load run went: answers, how long, failures, and latency percentiles.</summary>
public sealed record LoadResult(long Requests, TimeSpan Duration, long Errors, long Non2xx, TimeSpan P50, TimeSpan P99)
{
    public double PerSecond => Requests / Duration.TotalSeconds;
}

/// <summary>Closed-loop maximum throughput: <c>wrk</c> with the same threads, connections and duration for every target.</summary>
public static class Wrk
{
    public static async Task<LoadResult> RunAsync(Uri target, string script, LoadArguments arguments, TimeSpan duration)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-t", Number(arguments.Threads), "-c", Number(arguments.Connections), "-d", $"{Number((int)duration.TotalSeconds)}s",
            "--timeout", "10s", "-s", script, new Uri(target, Deliveries.Path).ToString(),
        }) start.ArgumentList.Add(argument);

        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: apt-get install -y wrk");
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var line = (await output).Split('\n').FirstOrDefault(l => l.StartsWith("BENCH ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {wrk.ExitCode}): {await errors}{await output}");
        var field = line[6..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return new LoadResult(
            field["requests"],
            TimeSpan.FromMicroseconds(field["duration_us"]),
            field["connect"] + field["read"] + field["write"] + field["timeout"],
            field["status"],
            TimeSpan.FromMicroseconds(field["p50_us"]),
            TimeSpan.FromMicroseconds(field["p99_us"]));
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
