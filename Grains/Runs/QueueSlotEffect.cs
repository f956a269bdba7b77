using Microsoft.Extensions.Options;

namespace SandboxAgents.Runs;

/// <summary>
/// A run's slot in the run queue when <see cref="RunOptions.MaxConcurrent"/> bounds live sandboxes: taken (or a place in
/// line) before provisioning, given back as a follow-up once the run has ended and its sandbox is gone.
/// </summary>
public sealed class QueueSlotEffect(IGrainFactory grains, IOptions<RunOptions> options) : IRunEffect
{
    public bool IsSettled(IssueState issue, RunRecord run) => !run.Queue.IsInQueue;

    public bool IsDue(RunContext context, RunRecord run) => run.State.IsTerminal() && !run.NeedsSandboxCleanup && run.Queue.IsInQueue;

    public async Task ApplyAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        await Queue.ReleaseAsync(context.Issue.ToString(), run.RunId);
        (run.Queue.HoldsSlot, run.Queue.Position) = (false, null);
    }

    /// <summary>Takes a slot for the run, or notes its place in line (the comment shows it); true when it may go on.</summary>
    public async Task<bool> AcquireAsync(RunContext context, RunRecord run)
    {
        if (options.Value.MaxConcurrent <= 0 || run.Queue.HoldsSlot) return true;
        var ticket = await Queue.AcquireAsync(context.Issue.ToString(), run.RunId);
        if (ticket.Granted)
        {
            (run.Queue.HoldsSlot, run.Queue.Position) = (true, null);
        }
        else if (run.Queue.Position != ticket.Position)
        {
            run.Queue.Position = ticket.Position;
            run.Changed();
        }

        context.Changed();
        return ticket.Granted;
    }

    private IRunQueueGrain Queue => grains.GetGrain<IRunQueueGrain>(0);
}
