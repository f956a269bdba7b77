namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Section <c>Sandbox:Local:Limits</c>: what one sandbox may use. Enforced with cgroups where the host offers them
/// (v2, or v1 controllers), with rlimits otherwise; the service logs at start which mechanism is in force.
/// </summary>
public sealed class SandboxLimits
{
    /// <summary>Processes and threads at once.</summary>
    public int Processes { get; set; } = 512;

    /// <summary>Memory, page cache and the RAM-backed <c>/tmp</c> included; no swap.</summary>
    public int MemoryMegabytes { get; set; } = 4096;

    /// <summary>CPU time, in cores (1.5 = one and a half cores).</summary>
    public double Cpus { get; set; } = 1;

    /// <summary>The sandbox's work folder (the checkout, HOME, caches); no single file may be larger.</summary>
    public int DiskMegabytes { get; set; } = 10_240;

    /// <summary>How often a running sandbox's work folder is measured against <see cref="DiskMegabytes"/>.</summary>
    public TimeSpan DiskCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sandbox's private <c>/tmp</c> (RAM-backed).</summary>
    public int TmpMegabytes { get; set; } = 1024;

    public long MemoryBytes => MemoryMegabytes * 1024L * 1024;

    public long DiskBytes => DiskMegabytes * 1024L * 1024;

    public long TmpBytes => TmpMegabytes * 1024L * 1024;

    /// <summary>Why these limits cannot work, or null.</summary>
    public string? Problem() =>
        Processes < 16 ? "Sandbox:Local:Limits:Processes must be at least 16."
        : MemoryMegabytes < 64 ? "Sandbox:Local:Limits:MemoryMegabytes must be at least 64."
        : Cpus is <= 0 or double.NaN ? "Sandbox:Local:Limits:Cpus must be positive."
        : DiskMegabytes < 16 ? "Sandbox:Local:Limits:DiskMegabytes must be at least 16."
        : TmpMegabytes < 1 ? "Sandbox:Local:Limits:TmpMegabytes must be at least 1."
        : DiskCheckInterval < TimeSpan.Zero ? "Sandbox:Local:Limits:DiskCheckInterval must not be negative."
        : null;
}
