namespace SandboxAgents.Sandboxes;

public sealed record SandboxInfo(string Id, string Name, IReadOnlyDictionary<string, string> Labels);
