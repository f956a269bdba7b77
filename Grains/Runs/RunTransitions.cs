namespace SandboxAgents.Runs;

/// <summary>The run state machine's edges. Any active state may end (fail, time out, be cancelled); otherwise only the happy path moves forward, or back to the queue when there is no room for a sandbox, or back to running when the agent's session resumes for messages that came after it ended.</summary>
public static class RunTransitions
{
    public static bool IsAllowed(RunState from, RunState to) => (from, to) switch
    {
        (RunState.Queued, RunState.Provisioning) => true,
        (RunState.Provisioning, RunState.Queued) => true, // no capacity for a sandbox yet: wait and try again
        (RunState.Provisioning, RunState.Running) => true,
        (RunState.Running, RunState.Publishing) => true,
        (RunState.Publishing, RunState.Succeeded or RunState.NoChanges) => true,
        (RunState.Publishing, RunState.Running) => true, // messages came after the agent ended: its session resumes with them
        (_, RunState.Failed or RunState.TimedOut or RunState.Cancelled) => from.IsActive(),
        _ => false,
    };
}
