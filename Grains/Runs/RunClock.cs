namespace SandboxAgents.Runs;

/// <summary>
/// The clock runs are judged by (deadlines, state times), registered as a keyed <see cref="TimeProvider"/> that
/// defaults to the service's clock. Tests replace it alone to reach a time-out without moving every other clock
/// (HTTP retries, polling cadences) with it.
/// </summary>
public static class RunClock
{
    public const string Key = "runs";
}
