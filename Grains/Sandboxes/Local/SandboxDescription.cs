namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// What <c>meta/sandbox.json</c> holds about a local sandbox: its name, labels, creation time, the host user it runs as
/// (when the service runs as root) and its cgroup folders (when the host has cgroups). Never the environment: that has
/// its own private file.
/// </summary>
internal sealed record SandboxDescription(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    DateTimeOffset CreatedAt,
    SandboxUser? User = null,
    IReadOnlyList<string>? Cgroups = null);
