namespace SandboxAgents.Sandboxes;

public enum CommandPhase
{
    Running,
    Exited,

    /// <summary>The provider no longer knows the command (its sandbox or its process is gone without an exit code).</summary>
    Lost,
}

/// <summary>
/// How a started command is doing, and what its sandbox ran into: <see cref="LimitExceeded"/> says which resource
/// limit the sandbox hit (the run cannot be trusted to go on), <see cref="BlockedHosts"/> the hosts its network filter
/// refused so far (agent-chosen text).
/// </summary>
public sealed record CommandStatus(CommandPhase Phase, int? ExitCode, IReadOnlyList<string> LogTail)
{
    /// <summary>
    /// Characters of one tail line a provider hands over: a stream-json event can be megabytes (a file the agent
    /// read), and the service only needs its start.
    /// </summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>The line's first <see cref="MaxLineLength"/> characters.</summary>
    public static string CapLine(string line) => line.Length <= MaxLineLength ? line : line[..MaxLineLength];

    public string? LimitExceeded { get; init; }

    public IReadOnlyList<string> BlockedHosts { get; init; } = [];
}
