using Microsoft.Extensions.Logging;

namespace SandboxAgents.Runs;

/// <summary>
/// What a grain turn lends to the code that drives its runs: the issue, its persisted state, the clock, and the one
/// transition method that checks the edge, stamps the time, writes state once and logs once.
/// </summary>
public sealed partial class RunContext(IssueKey issue, IPersistentState<IssueState> state, TimeProvider clock, ILogger logger)
{
    public IssueKey Issue => issue;

    public IssueState State => state.State;

    public DateTimeOffset Now => clock.GetUtcNow();

    public ILogger Logger => logger;

    public Task SaveAsync() => state.WriteStateAsync();

    public async Task TransitionAsync(RunRecord run, RunState to, string? note)
    {
        if (!RunTransitions.IsAllowed(run.State, to))
            throw new InvalidOperationException($"Run {run.RunId} cannot go from {run.State} to {to}.");

        var from = run.State;
        run.State = to;
        run.Transitions.Add(new StateChange(to, Now, note));
        run.Version++;
        run.FailedAttempts = 0;
        await SaveAsync();
        LogTransition(logger, issue, run.RunId, from, to, note);
    }

    /// <summary>
    /// Ends an active run; its sandbox is deleted by <see cref="RunDriver.AdvanceAsync"/>, which follows in the same
    /// turn. No-op for a run that already ended.
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
