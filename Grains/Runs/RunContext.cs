using Microsoft.Extensions.Logging;

namespace SandboxAgents.Runs;

/// <summary>
/// What a grain tick lends to the code that drives its runs: the issue, its persisted state, the clock, the one
/// transition method (checks the edge, stamps the time, writes state once, logs once), the tick's one write of
/// whatever else changed (<see cref="SaveIfChangedAsync"/>), and the activation's follows of running commands.
/// </summary>
public sealed partial class RunContext(IssueKey issue, IPersistentState<IssueState> state, RunEffects effects, TimeProvider clock, CommandFollows follows, ILogger logger)
{
    private bool _changed;

    public IssueKey Issue => issue;

    public IssueState State => state.State;

    public DateTimeOffset Now => clock.GetUtcNow();

    public ILogger Logger => logger;

    public CommandFollows Follows => follows;

    /// <summary>Notes that the state changed; it is written with the next save, at the latest at the end of the tick.</summary>
    public void Changed() => _changed = true;

    /// <summary>
    /// Writes the state now: for what must survive a crash before the next step relies on it (a transition, the id of
    /// a sandbox just created). The registry hears of the change first.
    /// </summary>
    public async Task SaveAsync()
    {
        await effects.ApplyBeforeSaveAsync(this);
        await state.WriteStateAsync();
        _changed = false;
    }

    /// <summary>Tells those who must never trail the runs (the registry) at once, without a write: a new run is listed as queued.</summary>
    public Task AnnounceAsync() => effects.ApplyBeforeSaveAsync(this);

    /// <summary>The tick's closing write, skipped when nothing changed.</summary>
    public Task SaveIfChangedAsync() => _changed ? SaveAsync() : Task.CompletedTask;

    public async Task TransitionAsync(RunRecord run, RunState to, string? note)
    {
        if (!RunTransitions.IsAllowed(run.State, to))
            throw new InvalidOperationException($"Run {run.RunId} cannot go from {run.State} to {to}.");

        var from = run.State;
        run.State = to;
        run.Transitions.Add(new StateChange(to, Now, note));
        run.Changed();
        run.FailedAttempts = 0;
        await SaveAsync();
        LogTransition(logger, issue, run.RunId, from, to, note);
    }

    /// <summary>
    /// Ends an active run; its follow-up work (the comment, the sandbox's deletion, the queue slot) is applied by
    /// <see cref="RunDriver.AdvanceAsync"/>, which follows in the same tick. No-op for a run that already ended.
    /// </summary>
    public async Task FinishAsync(RunRecord run, RunState ending, string? reason)
    {
        if (!run.State.IsActive()) return;
        if (ending is RunState.Failed or RunState.TimedOut or RunState.Cancelled) run.Error = reason;
        await TransitionAsync(run, ending, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} {From} -> {To} {Note}")]
    private static partial void LogTransition(ILogger logger, IssueKey issue, string runId, RunState from, RunState to, string? note);
}
