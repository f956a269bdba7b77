namespace SandboxAgents;

/// <summary>The phases a <see cref="CheckSummary"/> comes from.</summary>
public static class CheckPhases
{
    public const string Setup = "setup";
    public const string Validate = "validate";
}

/// <summary>
/// One setup or validate command of a run as the runner reported it: what ran, how it ended, how long it took and the
/// last lines it printed (redacted; the commands are the repository's, the output may be the agent's doing).
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.CheckSummary")]
public sealed record CheckSummary(
    [property: Id(0)] string Phase,
    [property: Id(1)] string Command,
    [property: Id(2)] int ExitCode,
    [property: Id(3)] TimeSpan Duration,
    [property: Id(4)] string? Tail)
{
    /// <summary>The exit code of a command that never ran (no process exits with it).</summary>
    public const int NotRun = -1;

    public bool Passed => ExitCode == 0;

    public bool Ran => ExitCode != NotRun;

    /// <summary>True when every validate command passed, false when one failed, null when none ran ("not validated").</summary>
    public static bool? Verified(IEnumerable<CheckSummary>? checks) =>
        checks?.Where(c => c.Phase == CheckPhases.Validate).ToList() is { Count: > 0 } validation
            ? validation.All(c => c.Passed)
            : null;
}

/// <summary>
/// One thing the agent was seen doing ("Running `npm test`", "Editing src/app.ts"), when it was seen. Agent-chosen
/// text: untrusted. <see cref="CallId"/>: the tool call's id in the agent's stream, so that a call is recorded once.
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.AgentStep")]
public sealed record AgentStep(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Tool,
    [property: Id(2)] string Text,
    [property: Id(3)] string? CallId = null);
