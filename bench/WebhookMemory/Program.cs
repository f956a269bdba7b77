using System.Globalization;
using SandboxAgents.Bench.WebhookMemory;

// How much a burst of large, badly signed webhook deliveries adds to the service's peak resident memory.
// Usage: dotnet run -c Release --project bench/WebhookMemory -- [--silo PATH/Silo.dll] [--requests 12] [--mib 24] [--runs 3]
var arguments = Arguments.Parse(args);
var body = Burst.Body(arguments.Mebibytes * 1024 * 1024);
Console.WriteLine($"Service: {arguments.Silo}");
Console.WriteLine($"Each burst: {arguments.Requests} parallel deliveries of {arguments.Mebibytes} MiB; a fresh service process per run.");
Console.WriteLine();
Console.WriteLine("| scenario | run | RSS before (MiB) | peak RSS (MiB) | added to peak (MiB) | answers | time (s) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var signing in new[] { Signing.WrongSignature, Signing.NoSignature })
{
    for (var run = 1; run <= arguments.Runs; run++)
    {
        await using var service = await ServiceProcess.StartAsync(arguments.Silo, "bench-webhook-secret");
        // Warm the paths up with small deliveries, so the burst measures buffering rather than JIT.
        var small = Burst.Body(4 * 1024);
        await Burst.SendAsync(service.Url, small, 2, Signing.WrongSignature);
        await Burst.SendAsync(service.Url, small, 2, Signing.NoSignature);
        await Task.Delay(TimeSpan.FromSeconds(2));

        service.ResetPeak();
        var (before, _) = service.Memory();
        var result = await Burst.SendAsync(service.Url, body, arguments.Requests, signing);
        var (_, peak) = service.Memory();

        var answers = string.Join(", ", result.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value}× {o.Key}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {signing} | {run} | {Mib(before):0} | {Mib(peak):0} | **{Mib(peak - before):0}** | {answers} | {result.Elapsed.TotalSeconds:0.0} |"));
    }
}

static double Mib(long bytes) => bytes / (1024.0 * 1024.0);
