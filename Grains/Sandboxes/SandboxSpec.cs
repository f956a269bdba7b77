namespace SandboxAgents.Sandboxes;

/// <summary>
/// What a new sandbox is made from. <see cref="Environment"/> is the sandbox's whole environment: the service's own
/// variables never leak in. It holds secrets: never logged, never in grain state; a provider keeps it only where the
/// sandbox itself lives (the local provider in an owner-only file beside the sandbox, Daytona in the sandbox).
/// </summary>
public sealed record SandboxSpec(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment);
