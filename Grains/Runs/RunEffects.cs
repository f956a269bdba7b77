using Microsoft.Extensions.Logging;

namespace SandboxAgents.Runs;

/// <summary>The registered <see cref="IRunEffect"/>s, in registration order, and the one answer to "is this run over for good?".</summary>
public sealed partial class RunEffects(IEnumerable<IRunEffect> effects)
{
    private readonly IRunEffect[] _all = [.. effects];

    /// <summary>The run has ended and no effect has anything left to do for it.</summary>
    public bool IsSettled(IssueState issue, RunRecord run) => run.State.IsTerminal() && _all.All(e => e.IsSettled(issue, run));

    /// <summary>Some run still has something to do.</summary>
    public bool NeedAttention(IssueState issue) => issue.Runs.Any(r => !IsSettled(issue, r));

    /// <summary>Applies every due effect to the run, in order; one that fails does not hold up the others.</summary>
    public async Task ApplyDueAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        foreach (var effect in _all) await ApplyIfDueAsync(effect, context, run, cancellationToken);
    }

    /// <summary>Applies the due effects that go with every write of the state (<see cref="IRunEffect.AppliesWithEverySave"/>).</summary>
    public async Task ApplyBeforeSaveAsync(RunContext context)
    {
        foreach (var effect in _all.Where(e => e.AppliesWithEverySave))
            foreach (var run in context.State.Runs) await ApplyIfDueAsync(effect, context, run, CancellationToken.None);
    }

    private static async Task ApplyIfDueAsync(IRunEffect effect, RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (!effect.IsDue(context, run)) return;
        try
        {
            await effect.ApplyAsync(context, run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogEffectFailed(context.Logger, ex, context.Issue, run.RunId, effect.GetType().Name);
        }

        context.Changed();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId}: {Effect} failed; the next tick tries again")]
    private static partial void LogEffectFailed(ILogger logger, Exception exception, IssueKey issue, string runId, string effect);
}
