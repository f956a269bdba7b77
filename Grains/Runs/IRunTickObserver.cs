namespace SandboxAgents.Runs;

/// <summary>
/// Told each time a <see cref="SandboxGrain"/> has finished a tick and armed its next one (or stopped watching), so
/// whoever drives the clock can await the tick it caused. None are registered by default.
/// </summary>
public interface IRunTickObserver
{
    void TickCompleted(IssueKey issue);
}
