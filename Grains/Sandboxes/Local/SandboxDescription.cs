namespace SandboxAgents.Sandboxes.Local;

/// <summary>What <c>meta/sandbox.json</c> holds about a local sandbox. Never the environment: that has its own private file.</summary>
internal sealed record SandboxDescription(string Name, IReadOnlyDictionary<string, string> Labels, DateTimeOffset CreatedAt);
