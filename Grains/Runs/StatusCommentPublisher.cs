using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// Keeps a run's one status comment in step with the run: posted once (found again by its marker after a crash),
/// then edited in place whenever the run's version moves. A failed edit is retried on the next tick.
/// </summary>
public sealed partial class StatusCommentPublisher(
    IGitHubIssues gitHub,
    IOptions<TriggerOptions> triggers,
    IOptions<DashboardLinkOptions> links,
    IOptions<RunOptions> options)
{
    private const int FailuresBeforeGivingUp = 10;

    public async Task SyncAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (run.GitHubAccessWithdrawn) return;
        if (run.CommentVersion == run.Version && !ActivityIsDue(context, run)) return;
        var version = run.Version;
        var activity = StatusComment.CurrentActivity(run);
        var body = StatusComment.Render(run, triggers.Value.Command, links.Value.LinkTo(context.Issue), context.Now);
        try
        {
            if (run.StatusCommentId is { } id)
            {
                await gitHub.UpdateCommentAsync(context.Issue, id, body, cancellationToken);
            }
            else if (await gitHub.FindCommentAsync(context.Issue, StatusComment.Marker(run.RunId), cancellationToken) is { } posted)
            {
                run.StatusCommentId = posted;
                await gitHub.UpdateCommentAsync(context.Issue, posted, body, cancellationToken);
            }
            else
            {
                run.StatusCommentId = await gitHub.CreateCommentAsync(context.Issue, body, cancellationToken);
            }

            run.CommentVersion = version;
            run.CommentFailures = 0;
            run.CommentedAt = context.Now;
            run.CommentedActivity = activity;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.CommentFailures++;
            LogCommentFailed(context.Logger, ex, context.Issue, run.RunId, run.CommentFailures);
            if (run.State.IsTerminal() && run.CommentFailures >= FailuresBeforeGivingUp) run.CommentVersion = version;
        }

        await context.SaveAsync();
    }

    /// <summary>
    /// What the agent is doing shows in the comment, but an edit for that alone waits for the refresh interval, so a
    /// chatty agent cannot push the service past GitHub's limits on content changes.
    /// </summary>
    private bool ActivityIsDue(RunContext context, RunRecord run) =>
        run.State == RunState.Running
        && run.CommentedAt is { } last && context.Now - last >= options.Value.CommentRefreshInterval
        && !string.Equals(StatusComment.CurrentActivity(run), run.CommentedActivity, StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} status comment could not be written (failure {Failures})")]
    private static partial void LogCommentFailed(ILogger logger, Exception exception, IssueKey issue, string runId, int failures);
}
