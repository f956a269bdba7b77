namespace SandboxAgents.Sandboxes;

/// <summary>
/// What a new sandbox is made from. <see cref="Environment"/> is the sandbox's whole environment: the service's own
/// variables never leak in. It holds secrets, so it is never logged or persisted.
/// </summary>
public sealed record SandboxSpec(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment);
