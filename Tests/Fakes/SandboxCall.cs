using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Fakes;

/// <summary>The calls of <see cref="ISandboxProvider"/> that <see cref="FakeSandboxProvider"/> records.</summary>
public enum SandboxCallKind
{
    Create,
    StartCommand,
    Delete,
}

/// <summary>
/// One recorded call. A create names the sandbox it asks for (<see cref="Name"/>, and the issue from its labels) but
/// has no id yet; a start and a delete name the sandbox by <see cref="SandboxId"/>.
/// </summary>
public sealed record SandboxCall(SandboxCallKind Kind, string? SandboxId, string? Name = null, string? Issue = null, string? Command = null)
{
    public static SandboxCall Create(SandboxSpec spec) => new(SandboxCallKind.Create, null, spec.Name, spec.Labels.GetValueOrDefault(SandboxLabels.Issue));

    public static SandboxCall StartCommand(string sandboxId, string command) => new(SandboxCallKind.StartCommand, sandboxId, Command: command);

    public static SandboxCall Delete(string sandboxId) => new(SandboxCallKind.Delete, sandboxId);
}
