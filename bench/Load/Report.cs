using System.Globalization;

namespace SandboxAgents.Bench.Load;

/// <summary>The markdown table of a run, as BENCHMARKS.md shows it.</summary>
public static class Report
{
    public static void Write(TextWriter output, LoadArguments arguments, IReadOnlyList<Row> rows)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrk -t{arguments.Threads} -c{arguments.Connections} -d{arguments.Duration.TotalSeconds:0}s (after {arguments.WarmUp.TotalSeconds:0} s of warm-up); fixed rate {arguments.RateDuration.TotalSeconds:0} s on {arguments.Connections} connections; Silo storage: {arguments.Storage}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        output.WriteLine();
        output.WriteLine("| scenario | target | load | req/s | ratio to ceiling | p50 (ms) | p99 (ms) | errors | non-2xx | grain answers logged |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var r = row.Result;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Scenario} | {row.Target} | {row.Mode} | {r.PerSecond:0} | {(row.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {r.P50.TotalMilliseconds:0.00} | {r.P99.TotalMilliseconds:0.00} | {r.Errors} | {r.Non2xx} | {row.GrainCalls?.ToString(CultureInfo.InvariantCulture) ?? ""} |"));
        }
    }
}
