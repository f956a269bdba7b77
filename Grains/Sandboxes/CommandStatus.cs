namespace SandboxAgents.Sandboxes;

public enum CommandPhase
{
    Running,
    Exited,

    /// <summary>The provider no longer knows the command (its sandbox or its process is gone without an exit code).</summary>
    Lost,
}

public sealed record CommandStatus(CommandPhase Phase, int? ExitCode, IReadOnlyList<string> LogTail);
