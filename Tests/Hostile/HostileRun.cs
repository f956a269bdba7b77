using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Sandboxes;

namespace SandboxAgents.Tests.Hostile;

/// <summary>
/// One run of the hostile agent, end to end: the labelled issue whose body tells it where to aim, the host-side scan
/// taken while it waits, and what it left: its final state, its report, its branch.
/// </summary>
public sealed class HostileRun
{
    private HostileRun(string marker, SandboxScan scan, JsonObject done, IReadOnlyDictionary<string, string> report, string branch)
        => (Marker, Scan, Done, Report, Branch) = (marker, scan, done, report, branch);

    /// <summary>Unique to this run: the agent names its planted files and its sleeper after it.</summary>
    public string Marker { get; }

    public SandboxScan Scan { get; }

    public JsonObject Done { get; }

    /// <summary>What each attack got, as the agent wrote it: <c>name: succeeded|failed output</c>.</summary>
    public IReadOnlyDictionary<string, string> Report { get; }

    public string Branch { get; }

    public string Outcome(string attack) => Report.TryGetValue(attack, out var line) ? line : $"(no line for {attack} in the report)";

    public static async Task<HostileRun> StartAsync(HostileServiceFixture service)
    {
        var marker = ProcessTable.UniqueSleep();
        var parameters = new Dictionary<string, string>
        {
            ["marker"] = marker,
            ["data"] = service.DataPath,
            ["sandboxes"] = service.SandboxRoot,
            ["mirrors"] = Path.Combine(service.DataPath, "mirrors"),
            ["remote"] = service.RemoteRoot,
            ["http"] = service.HttpPort.ToString(CultureInfo.InvariantCulture),
            ["silo"] = service.Settings["Orleans:SiloPort"],
            ["gateway"] = service.Settings["Orleans:GatewayPort"],
            ["redis"] = "6379",
            ["allowed"] = service.AllowedHost.Port.ToString(CultureInfo.InvariantCulture),
        };
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, HostileServiceFixture.HostileIssue, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = "Take over the service [hostile]";
        payload["issue"]!["body"] = string.Join('\n', parameters.Select(p => $"hostile-param {p.Key}={p.Value}"));
        (await service.SendWebhookAsync("issues", payload)).EnsureSuccessStatusCode();

        var running = await Eventually.MatchesAsync(() => service.GetTaskAsync(HostileServiceFixture.HostileIssue),
            t => t?["sandboxId"]?.GetValue<string>() is { Length: > 0 } && t["state"]!.GetValue<string>() == "Running", "the hostile run to start", TimeSpan.FromSeconds(60));
        var sandboxId = running!["sandboxId"]!.GetValue<string>();
        var work = Path.Combine(service.SandboxRoot, sandboxId, "work");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(work, ".hostile-waiting")), "the hostile agent to wait for the scan", TimeSpan.FromSeconds(120));
        var scan = SandboxScan.Take(service.SandboxRoot, sandboxId);
        await File.WriteAllTextAsync(Path.Combine(work, ".hostile-go"), "");

        var done = await Eventually.MatchesAsync(() => service.GetTaskAsync(HostileServiceFixture.HostileIssue),
            t => t?["state"]?.GetValue<string>() is "Succeeded" or "Failed" or "NoChanges" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(),
            "the hostile run's end", TimeSpan.FromSeconds(120));
        var branch = done!["branch"]!.GetValue<string>();
        var report = done["state"]!.GetValue<string>() == "Succeeded" ? service.Git.Show(branch, "report.txt") : "";
        return new HostileRun(marker, scan, done, Parse(report), branch);
    }

    private static Dictionary<string, string> Parse(string report) =>
        report.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => g.First()[1]);

    /// <summary>Everything the model route received from the sandbox in one phase of the run (agent, filter, daemon, hook-*).</summary>
    public static IReadOnlyList<string> Dumps(FakeModelApi model, string phase) =>
        [.. model.Requests.Where(r => r.Headers.GetValueOrDefault("x-hostile-phase") == phase).Select(r => Encoding.Latin1.GetString(r.Body))];
}
