namespace SandboxAgents.Sandboxes.Local;

/// <summary>Settings of the <c>local</c> provider (section <c>Sandbox:Local</c>).</summary>
public sealed class LocalSandboxOptions
{
    public const string SectionName = "Sandbox:Local";
    public const string Auto = "auto";
    public const string Bubblewrap = "bubblewrap";
    public const string None = "none";

    /// <summary>Where sandbox directories are made. Each sandbox gets <c>{Root}/{id}</c> and nothing else.</summary>
    public string Root { get; set; } = Path.Combine(Path.GetTempPath(), "sandbox-agents");

    /// <summary>
    /// <c>auto</c> or <c>bubblewrap</c> (bubblewrap, required: the service refuses to start without it) or <c>none</c>
    /// (no isolation at all: only for agents one trusts, and announced as such at start).
    /// </summary>
    public string Isolation { get; set; } = Auto;

    /// <summary>The bubblewrap executable; when empty, <c>/usr/bin/bwrap</c> and then <c>bwrap</c> on the service's PATH.</summary>
    public string? BubblewrapPath { get; set; }

    /// <summary>Host paths bound read-only at the same path inside an isolated sandbox (tools outside <c>/usr</c>).</summary>
    public IList<string> ReadOnlyPaths { get; } = [];

    /// <summary>What one sandbox may use.</summary>
    public SandboxLimits Limits { get; set; } = new();

    /// <summary>
    /// When the service runs as root, each sandbox runs as its own host user id from this range, so that nothing it
    /// writes or starts is the service's, and per-user limits count only that sandbox.
    /// </summary>
    public int FirstUid { get; set; } = 3_000_000;

    public int UidCount { get; set; } = 65_536;

    /// <summary>
    /// Where the machine's sandbox users are claimed, one file per user id in use, shared by every service process on
    /// the machine so that no two sandboxes ever run as the same user.
    /// </summary>
    public string UidRegistry { get; set; } = "/var/lib/sandbox-agents/uids";
}
