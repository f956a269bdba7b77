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

    /// <summary><c>auto</c> (bubblewrap when installed and working), <c>bubblewrap</c> (required) or <c>none</c> (unisolated, trusted use only).</summary>
    public string Isolation { get; set; } = Auto;

    /// <summary>The bubblewrap executable; when empty, <c>/usr/bin/bwrap</c> and then <c>bwrap</c> on the service's PATH.</summary>
    public string? BubblewrapPath { get; set; }

    /// <summary>Host paths bound read-only at the same path inside an isolated sandbox (tools outside <c>/usr</c>).</summary>
    public IList<string> ReadOnlyPaths { get; } = [];
}
