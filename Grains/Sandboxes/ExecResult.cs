namespace SandboxAgents.Sandboxes;

/// <summary>How a command run to its end finished; <see cref="TimedOut"/> means it was killed at its time-out.</summary>
public sealed record ExecResult(int ExitCode, string Output, bool TimedOut);
