using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// Keeps a run's one status comment in step with the run: posted once (found again by its marker after a crash),
/// then edited in place whenever the run's version moves. A failed write is retried with backoff, and a rate limit
/// pauses it as GitHub says, until the comment shows the run's last version; only after
/// <see cref="RunOptions.CommentRetryLimit"/> of failures is the run flagged <see cref="RunRecord.CommentStale"/>.
/// </summary>
public sealed partial class StatusCommentPublisher(
    IGitHubIssues gitHub,
    IOptions<TriggerOptions> triggers,
    IOptions<DashboardLinkOptions> links,
    IOptions<RunOptions> options)
{
    /// <summary>Longest wait between two tries of a failing write.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    public async Task SyncAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (run.GitHubAccessWithdrawn) return;
        if (run.CommentVersion == run.Version && !ActivityIsDue(context, run)) return;
        if (run.CommentStale) return;
        if (context.GitHubPaused || run.CommentRetryAt > context.Now) return;
        var version = run.Version;
        try
        {
            await WriteAsync(context, run, cancellationToken);
            run.CommentVersion = version;
            run.CommentFailures = 0;
            (run.CommentFailingSince, run.CommentRetryAt) = (null, null);
            context.GitHubAnswered();
        }
        catch (GitHubRateLimitedException limit)
        {
            Failed(context, run, limit);
            await context.PauseGitHubAsync(limit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(context, run, ex);
            run.CommentRetryAt = context.Now + GitHubBackoff.Jittered(options.Value.PollInterval, run.CommentFailures, MaxRetryDelay);
        }

        await context.SaveAsync();
    }

    private async Task WriteAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        var activity = StatusComment.CurrentActivity(run);
        var body = StatusComment.Render(run, triggers.Value.Command, links.Value.LinkTo(context.Issue), context.Now);
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

        run.CommentedAt = context.Now;
        run.CommentedActivity = activity;
    }

    private void Failed(RunContext context, RunRecord run, Exception exception)
    {
        run.CommentFailures++;
        run.CommentFailingSince ??= context.Now;
        LogCommentFailed(context.Logger, exception, context.Issue, run.RunId, run.CommentFailures);
        // Only an ending is given up on: while the run goes on, its next change is worth telling.
        if (run.CommentStale || !run.State.IsTerminal() || context.Now - run.CommentFailingSince < options.Value.CommentRetryLimit) return;
        run.CommentStale = true;
        run.RegistryVersion = 0; // the registry and the dashboard hear of the flag
        LogCommentStale(context.Logger, context.Issue, run.RunId, run.State, options.Value.CommentRetryLimit);
    }

    /// <summary>
    /// What the agent is doing shows in the comment, but an edit for that alone waits for the refresh interval, so a
    /// chatty agent cannot push the service past GitHub's limits on content changes.
    /// </summary>
    private bool ActivityIsDue(RunContext context, RunRecord run) =>
        run.State == RunState.Running
        && run.CommentedAt is { } last && context.Now - last >= options.Value.CommentRefreshInterval
        && !string.Equals(StatusComment.CurrentActivity(run), run.CommentedActivity, StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} status comment could not be written (failure {Failures}); it is retried")]
    private static partial void LogCommentFailed(ILogger logger, Exception exception, IssueKey issue, string runId, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Issue}: run {RunId} ({State}) status comment has failed for longer than {Limit}; the run is flagged: its comment on GitHub may be stale")]
    private static partial void LogCommentStale(ILogger logger, IssueKey issue, string runId, RunState state, TimeSpan limit);
}
