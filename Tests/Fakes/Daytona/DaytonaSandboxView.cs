namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>A test's read-only look at one sandbox, taken at a moment.</summary>
public sealed record DaytonaSandboxView(
    string Id,
    string Name,
    string State,
    string DesiredState,
    string? ErrorReason,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Env,
    int AutoStopInterval,
    int AutoArchiveInterval,
    int AutoDeleteInterval,
    DateTimeOffset LastActivityAt,
    string WorkingDirectory);
