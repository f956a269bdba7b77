using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// One sandbox's record as the API keeps it, plus what its daemon holds: a working directory, sessions and the
/// processes its commands started. <see cref="SandboxStore"/> guards the mutable fields with its lock.
/// </summary>
internal sealed class FakeSandbox
{
    public required string Id { get; init; }
    public required string OrganizationId { get; init; }
    public required string Name { get; set; }
    public required string Snapshot { get; init; }
    public required string User { get; init; }
    public required IReadOnlyDictionary<string, string> Env { get; init; }
    public required Dictionary<string, string> Labels { get; set; }
    public bool Public { get; init; }
    public bool NetworkBlockAll { get; init; }
    public string? NetworkAllowList { get; init; }
    public string? DomainAllowList { get; init; }
    public required string Target { get; init; }
    public int Cpu { get; init; }
    public int Gpu { get; init; }
    public int Memory { get; init; }
    public int Disk { get; init; }
    public JsonObject? BuildInfo { get; init; }
    public required string State { get; set; }
    public required string DesiredState { get; set; }
    public string? ErrorReason { get; set; }
    public int AutoStopInterval { get; set; }
    public int AutoArchiveInterval { get; set; }
    public int AutoDeleteInterval { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
    public PendingTransition? Pending { get; set; }
    public required string ToolboxProxyUrl { get; init; }

    /// <summary>The daemon's working directory on this machine: relative paths and commands start here.</summary>
    public required string WorkingDirectory { get; init; }

    public ConcurrentDictionary<string, SandboxSession> Sessions { get; } = new();

    /// <summary>Every command started in the sandbox, sessions or not, so destroying it can kill them all.</summary>
    public ConcurrentQueue<LocalCommand> Processes { get; } = new();

    public bool IsDestroyed => State == SandboxStates.Destroyed;

    public bool IsEphemeral => AutoDeleteInterval == 0;

    /// <summary>Kills every process of the sandbox and returns once they are gone (a killed process takes a moment to die).</summary>
    public void KillProcesses()
    {
        for (var round = 0; round < 200; round++)
        {
            foreach (var process in Processes) process.Kill();
            var stragglers = ProcessGroup.KillAllWorkingIn(WorkingDirectory);
            if (stragglers == 0 && !Processes.Any(p => p.IsAlive)) return;
            Thread.Sleep(10);
        }
    }

    /// <summary>The environment a command sees: PATH, HOME and LANG, then the sandbox's <c>env</c>, then <paramref name="extra"/>.</summary>
    public IReadOnlyDictionary<string, string> CommandEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = WorkingDirectory,
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (key, value) in Env) environment[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    /// <summary>The <c>Sandbox</c> DTO (API.md §2.2), or <c>SandboxListItem</c> without env, volumes and buildInfo.</summary>
    public JsonObject ToJson(bool listItem = false)
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["organizationId"] = OrganizationId,
            ["name"] = Name,
            ["snapshot"] = Snapshot,
            ["user"] = User,
            ["labels"] = Map(Labels),
            ["public"] = Public,
            ["networkBlockAll"] = NetworkBlockAll,
            ["networkAllowList"] = NetworkAllowList,
            ["domainAllowList"] = DomainAllowList,
            ["target"] = Target,
            ["cpu"] = Cpu,
            ["gpu"] = Gpu,
            ["memory"] = Memory,
            ["disk"] = Disk,
            ["state"] = State,
            ["desiredState"] = DesiredState,
            ["errorReason"] = ErrorReason,
            ["recoverable"] = false,
            ["backupState"] = "None",
            ["autoStopInterval"] = AutoStopInterval,
            ["autoArchiveInterval"] = AutoArchiveInterval,
            ["autoDeleteInterval"] = AutoDeleteInterval,
            ["createdAt"] = DaytonaErrors.Iso(CreatedAt),
            ["updatedAt"] = DaytonaErrors.Iso(UpdatedAt),
            ["lastActivityAt"] = DaytonaErrors.Iso(LastActivityAt),
            ["sandboxClass"] = "container",
            ["daemonVersion"] = "0.190.0",
            ["runnerId"] = "fake-runner",
            ["toolboxProxyUrl"] = ToolboxProxyUrl,
        };
        if (listItem) return json;
        json["env"] = Map(Env);
        json["volumes"] = new JsonArray();
        if (BuildInfo is not null) json["buildInfo"] = BuildInfo.DeepClone();
        return json;
    }

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var json = new JsonObject();
        foreach (var (key, value) in pairs) json[key] = value;
        return json;
    }
}
