using System.Globalization;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// The macro figures in one run: every scenario at the ceiling, then at the Silo, with wrk at the same settings
/// (after a warm-up that is not counted); then the command scenario open-loop at half the ceiling's rate, at both.
/// </summary>
public static class MacroRun
{
    public static async Task<IReadOnlyList<Row>> RunAsync(LoadArguments arguments, IReadOnlyList<Scenario> scenarios, TextWriter progress)
    {
        var rows = new List<Row>();
        var ceilingRates = new Dictionary<string, double>();
        var command = scenarios.Single(s => s.ReachesGrain);

        await using (var ceiling = await Targets.StartCeilingAsync())
        {
            foreach (var scenario in scenarios)
            {
                var (result, _) = await MaxAsync(ceiling, scenario, arguments, progress, "ceiling");
                ceilingRates[scenario.Name] = result.PerSecond;
                rows.Add(new Row(scenario.Name, "ceiling", "wrk", result, 1.0));
            }

            rows.Add(await HalfRateAsync(ceiling, command, ceilingRates[command.Name], arguments, progress, "ceiling"));
        }

        await using (var silo = await Targets.StartSiloAsync(arguments))
        {
            foreach (var scenario in scenarios)
            {
                var (result, marked) = await MaxAsync(silo, scenario, arguments, progress, "silo");
                var grainCalls = scenario.ReachesGrain ? marked : null;
                rows.Add(new Row(scenario.Name, "silo", "wrk", result, result.PerSecond / ceilingRates[scenario.Name], grainCalls));
            }

            var before = await SettledCountAsync(silo);
            var row = await HalfRateAsync(silo, command, ceilingRates[command.Name], arguments, progress, "silo");
            rows.Add(row with { GrainCalls = await SettledCountAsync(silo) - before });
        }

        return rows;
    }

    private static async Task<(LoadResult Result, long? Marked)> MaxAsync(ServiceProcess target, Scenario scenario, LoadArguments arguments, TextWriter progress, string name)
    {
        var script = WrkScript.Write(scenario.Deliveries, target.Url);
        try
        {
            await progress.WriteLineAsync($"{name}: {scenario.Name}: warm-up {arguments.WarmUp.TotalSeconds:0} s, then wrk {arguments.Duration.TotalSeconds:0} s");
            if (arguments.WarmUp > TimeSpan.Zero) await Wrk.RunAsync(target.Url, script, arguments, arguments.WarmUp);
            var before = await SettledCountAsync(target);
            var result = await Wrk.RunAsync(target.Url, script, arguments, arguments.Duration);
            return (result, target.Marker is null ? null : await SettledCountAsync(target) - before);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<Row> HalfRateAsync(ServiceProcess target, Scenario scenario, double ceilingRate, LoadArguments arguments, TextWriter progress, string name)
    {
        var rate = Math.Max(1, Math.Round(ceilingRate / 2));
        await progress.WriteLineAsync($"{name}: {scenario.Name}: {rate:0} req/s for {arguments.RateDuration.TotalSeconds:0} s");
        var result = await FixedRate.RunAsync(target.Url, scenario.Deliveries, rate, arguments.RateDuration, arguments.Connections);
        return new Row(scenario.Name, name, string.Create(CultureInfo.InvariantCulture, $"fixed {rate:0}/s (½ ceiling)"), result);
    }

    /// <summary>The marked-line count once the service's logger has caught up (no change for half a second, at most 10 s).</summary>
    private static async Task<long> SettledCountAsync(ServiceProcess service)
    {
        var last = -1L;
        for (var i = 0; i < 20 && service.Marked != last; i++)
        {
            last = service.Marked;
            await Task.Delay(500);
        }

        return service.Marked;
    }
}
