using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// Keeps a run's one status comment (on its issue, or for an iteration also on its pull request: see
/// <see cref="StatusCommentTarget"/>) in step with the run: posted once (found again by its marker after a crash),
/// then edited in place whenever the run's version moves. A failed write is retried with backoff, and a rate limit
/// pauses it as GitHub says, until the comment shows the run's last version; only after
/// <see cref="RunOptions.CommentRetryLimit"/> of failures is the run flagged <see cref="StatusCommentState.Stale"/>.
/// </summary>
public sealed partial class StatusCommentEffect(
    StatusCommentTarget target,
    IGitHubIssues gitHub,
    IOptions<TriggerOptions> triggers,
    IOptions<DashboardLinkOptions> links,
    IOptions<RunOptions> options) : IRunEffect
{
    /// <summary>Longest wait between two tries of a failing write.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>The comment shows the run's last version, or never can again (flagged stale, or GitHub took the service's access away).</summary>
    public bool IsSettled(IssueState issue, RunRecord run) =>
        !target.Applies(run) || run.GitHubAccessWithdrawn || target.StateOf(run) is { } comment && (comment.Stale || comment.ShownVersion == run.Version);

    public bool IsDue(RunContext context, RunRecord run) =>
        target.Applies(run) && !run.GitHubAccessWithdrawn && !target.StateOf(run).Stale
        && (target.StateOf(run).ShownVersion != run.Version || ActivityIsDue(context, run))
        && !context.GitHubPaused && !(target.StateOf(run).RetryAt > context.Now);

    public async Task ApplyAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        var comment = target.StateOf(run);
        var version = run.Version;
        try
        {
            await WriteAsync(context, run, cancellationToken);
            comment.ShownVersion = version;
            (comment.Failures, comment.FailingSince, comment.RetryAt) = (0, null, null);
            context.GitHubAnswered();
        }
        catch (GitHubRateLimitedException limit)
        {
            Failed(context, run, limit);
            context.PauseGitHub(limit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Failed(context, run, ex);
            comment.RetryAt = context.Now + GitHubBackoff.Jittered(options.Value.PollInterval, comment.Failures, MaxRetryDelay);
        }
    }

    private async Task WriteAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        var activity = StatusComment.CurrentActivity(run);
        var body = StatusComment.Render(run, triggers.Value.Command, links.Value.LinkTo(context.Issue), context.Now);
        var comment = target.StateOf(run);
        var where = target.Where(context.Issue, run);
        if (comment.Id is { } id)
        {
            await gitHub.UpdateCommentAsync(where, id, body, cancellationToken);
        }
        else if (await gitHub.FindCommentAsync(where, StatusComment.Marker(run.RunId), cancellationToken) is { } posted)
        {
            comment.Id = posted;
            await gitHub.UpdateCommentAsync(where, posted, body, cancellationToken);
        }
        else
        {
            comment.Id = await gitHub.CreateCommentAsync(where, body, cancellationToken);
        }

        (comment.WrittenAt, comment.WrittenActivity) = (context.Now, activity);
    }

    private void Failed(RunContext context, RunRecord run, Exception exception)
    {
        var comment = target.StateOf(run);
        comment.Failures++;
        comment.FailingSince ??= context.Now;
        LogCommentFailed(context.Logger, exception, target.Where(context.Issue, run), run.RunId, comment.Failures);
        // Only an ending is given up on: while the run goes on, its next change is worth telling.
        if (comment.Stale || !run.State.IsTerminal() || context.Now - comment.FailingSince < options.Value.CommentRetryLimit) return;
        comment.Stale = true;
        run.Changed(); // the registry and the dashboard hear of the flag
        LogCommentStale(context.Logger, target.Where(context.Issue, run), run.RunId, run.State, options.Value.CommentRetryLimit);
    }

    /// <summary>
    /// What the agent is doing shows in the comment, but an edit for that alone waits for the refresh interval, so a
    /// chatty agent cannot push the service past GitHub's limits on content changes.
    /// </summary>
    private bool ActivityIsDue(RunContext context, RunRecord run) =>
        run.State == RunState.Running
        && target.StateOf(run).WrittenAt is { } last && context.Now - last >= options.Value.CommentRefreshInterval
        && !string.Equals(StatusComment.CurrentActivity(run), target.StateOf(run).WrittenActivity, StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} status comment could not be written (failure {Failures}); it is retried")]
    private static partial void LogCommentFailed(ILogger logger, Exception exception, IssueKey issue, string runId, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Issue}: run {RunId} ({State}) status comment has failed for longer than {Limit}; the run is flagged: its comment on GitHub may be stale")]
    private static partial void LogCommentStale(ILogger logger, IssueKey issue, string runId, RunState state, TimeSpan limit);
}
