namespace SandboxAgents.Runs;

/// <summary>
/// Follow-up work a run owes once it has changed: tell the registry, edit the status comment, delete the sandbox, give
/// back the queue slot. <see cref="RunDriver"/> applies what is due after each step and saves once; a run is over for
/// good when it has ended and every effect is settled (<see cref="RunEffects.IsSettled"/>). An effect keeps what it
/// has done on the run, and records and retries its own failures.
/// </summary>
public interface IRunEffect
{
    /// <summary>Applied before every write of the issue's state, not just once a tick: what must never trail the run.</summary>
    bool AppliesWithEverySave => false;

    /// <summary>Nothing is left for this effect to do for the run, as things stand.</summary>
    bool IsSettled(IssueState issue, RunRecord run);

    /// <summary>Worth doing now: there is something to do and whatever it waits for (a retry time, another effect) is over.</summary>
    bool IsDue(RunContext context, RunRecord run);

    /// <summary>Does the work and notes it on the run; the caller writes the state.</summary>
    Task ApplyAsync(RunContext context, RunRecord run, CancellationToken cancellationToken);
}
