using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// Deletes an ended run's sandbox, by its id or, when the create's answer was never stored, by the run's labels; then
/// drops the run's refs from the mirror. Tried again every tick until the provider confirms the sandbox is gone.
/// </summary>
public sealed partial class SandboxCleanupEffect(ISandboxProvider sandboxes, IRepositoryMirror mirror, IOptions<RunOptions> options) : IRunEffect
{
    public bool IsSettled(IssueState issue, RunRecord run) => !run.NeedsSandboxCleanup;

    public bool IsDue(RunContext context, RunRecord run) => run.State.IsTerminal() && run.NeedsSandboxCleanup;

    public async Task ApplyAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            var gone = run.SandboxId is { } id
                ? await sandboxes.DeleteAsync(id, cancellationToken)
                : await DeleteByLabelsAsync(run, cancellationToken);
            if (!gone) return;
            run.SandboxDeleted = true;
            LogSandboxDeleted(context.Logger, context.Issue, run.RunId, run.SandboxId ?? run.SandboxName);
            await mirror.ForgetRunAsync(context.Issue, run.RunId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCleanupFailed(context.Logger, ex, context.Issue, run.RunId);
        }
    }

    private async Task<bool> DeleteByLabelsAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Instance] = options.Value.InstanceId,
            [SandboxLabels.Run] = run.RunId,
        };
        var gone = true;
        foreach (var sandbox in await sandboxes.ListAsync(labels, cancellationToken))
            gone &= await sandboxes.DeleteAsync(sandbox.Id, cancellationToken);
        return gone;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} sandbox {SandboxId} deleted")]
    private static partial void LogSandboxDeleted(ILogger logger, IssueKey issue, string runId, string sandboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} sandbox deletion failed; the watchdog retries")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, IssueKey issue, string runId);
}
