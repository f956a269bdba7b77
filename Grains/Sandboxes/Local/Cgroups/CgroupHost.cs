namespace SandboxAgents.Sandboxes.Local.Cgroups;

/// <summary>
/// What this host lets the service do to bound a sandbox: cgroup v2 (one hierarchy with the memory, pids and cpu
/// controllers), cgroup v1 (a hierarchy per controller, as on hosts that still mount them), or nothing, in which case
/// only rlimits apply. Found once at start; every sandbox then gets a cgroup under the service's own.
/// </summary>
internal sealed class CgroupHost
{
    public const string Folder = "sandbox-agents";
    private static readonly string[] Needed = ["memory", "pids", "cpu"];

    private readonly int _version;
    private readonly IReadOnlyList<string> _bases;

    private CgroupHost(int version, IReadOnlyList<string> bases, string description) =>
        (_version, _bases, Description) = (version, bases, description);

    /// <summary>None: limits fall back to rlimits.</summary>
    public static CgroupHost Unavailable(string why) => new(0, [], $"rlimits only ({why})");

    public bool IsAvailable => _version != 0;

    /// <summary>What is in force, for the start-up log.</summary>
    public string Description { get; }

    /// <summary>Looks at this process's cgroups. Never throws: anything that does not work means rlimits only.</summary>
    public static CgroupHost Detect(string mountInfoFile = "/proc/self/mountinfo", string cgroupFile = "/proc/self/cgroup", int? processId = null)
    {
        try
        {
            var mounts = CgroupMount.Read(mountInfoFile, cgroupFile);
            var v1 = Needed.Select(c => mounts.FirstOrDefault(m => m.Version == 1 && m.Controllers.Contains(c))).ToList();
            if (v1.All(m => m is not null))
            {
                var bases = v1.Select(m => Path.Join(m!.OwnDirectory, Folder)).Distinct(StringComparer.Ordinal).ToList();
                foreach (var folder in bases) Directory.CreateDirectory(folder);
                return new CgroupHost(1, bases, $"cgroup v1 ({string.Join(", ", bases)})");
            }

            if (mounts.FirstOrDefault(m => m.Version == 2) is { } unified
                && CgroupV2Delegation.Prepare(unified, Needed, processId ?? Environment.ProcessId) is { } delegated)
                return new CgroupHost(2, [delegated], $"cgroup v2 ({delegated})");

            return Unavailable("no cgroup hierarchy with the memory, pids and cpu controllers is writable here");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unavailable($"cgroups are not writable: {e.Message}");
        }
    }

    /// <summary>The cgroup a sandbox gets (created by <see cref="SandboxCgroup.Create"/>), or null without cgroups.</summary>
    public SandboxCgroup? For(string sandboxId) =>
        IsAvailable ? new SandboxCgroup(_version, [.. _bases.Select(b => Path.Join(b, sandboxId))]) : null;
}
