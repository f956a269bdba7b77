namespace SandboxAgents;

/// <summary>Where an issue's latest run stands. Values are persisted: never renumber them.</summary>
[GenerateSerializer, Alias("SandboxAgents.RunState")]
public enum RunState
{
    Idle = 0,
    Queued = 1,
    Provisioning = 2,
    Running = 3,
    Publishing = 4,
    Succeeded = 5,
    NoChanges = 6,
    Failed = 7,
    TimedOut = 8,
    Cancelled = 9,
}

public static class RunStateExtensions
{
    /// <summary>True while a run holds (or is about to hold) a sandbox and may still change.</summary>
    public static bool IsActive(this RunState state) => state is RunState.Queued or RunState.Provisioning or RunState.Running or RunState.Publishing;

    /// <summary>True for the five endings; a terminal run never changes state again.</summary>
    public static bool IsTerminal(this RunState state) => state >= RunState.Succeeded;
}
