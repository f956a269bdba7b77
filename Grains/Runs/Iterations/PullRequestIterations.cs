using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// The issue grain's side of iterating on the agent's own pull requests: it records the pull requests its runs open,
/// turns reviews, failing checks and <c>/agent</c> comments on them into a waiting iteration, starts that iteration
/// (a run on the same branch) once the issue has no active run, and keeps the description's iteration log. Fixes for
/// failing checks stop at <see cref="RunOptions.MaxFixAttempts"/>, on <c>/agent autofix off</c>, and once someone else
/// has pushed to the branch.
/// </summary>
public sealed partial class PullRequestIterations(
    IterationFeedbackReader feedback,
    IGitHubPullRequests pullRequests,
    IGitHubIssues gitHub,
    IGrainFactory grains,
    RunSettingsResolver settings,
    IOptions<TriggerOptions> triggers,
    IOptions<RunOptions> options)
{
    /// <summary>Pull requests remembered per issue; the oldest are forgotten first.</summary>
    private const int PullRequestsKept = 20;

    private const int LogLinesKept = 50;

    /// <summary>A pending iteration is waiting to start.</summary>
    public static bool HasPending(IssueState state) => state.PullRequests.Exists(p => p.Pending is not null);

    /// <summary>Acts on a command about one of the issue's pull requests (not one that steers the active run).</summary>
    public async Task ApplyAsync(RunContext context, IssueCommand command, CancellationToken cancellationToken)
    {
        if (context.State.PullRequest(command.PullRequest?.Number) is not { } pullRequest) return;
        var signal = command.PullRequest!;
        switch (command.Kind)
        {
            case CommandKind.Autofix:
                pullRequest.AutofixOff = signal.AutofixOn == false;
                LogAutofix(context.Logger, context.Issue, pullRequest.Number, !pullRequest.AutofixOff, command.Actor);
                await ReplyAsync(context, pullRequest, pullRequest.AutofixOff
                    ? $"@{command.Actor} autofix is off for this pull request: failing checks no longer start fix runs. `{triggers.Value.Command} autofix on` turns it back on."
                    : $"@{command.Actor} autofix is on for this pull request: failing checks on the agent's commits start fix runs (at most {options.Value.MaxFixAttempts}).",
                    cancellationToken);
                break;
            case CommandKind.HeadPushed when signal.HeadSha is { } head && !pullRequest.OwnCommits.Contains(head, StringComparer.OrdinalIgnoreCase):
                pullRequest.HumanPushedAt ??= context.Now;
                LogPushedByOthers(context.Logger, context.Issue, pullRequest.Number, head);
                break;
            case CommandKind.Fix:
                await RequestFixAsync(context, pullRequest, command, cancellationToken);
                break;
            case CommandKind.Iterate:
                RequestIteration(context, pullRequest, command);
                break;
        }

        context.Changed();
    }

    /// <summary>Records the pull request a run opened (or found open on its branch) and tells its grain whose it is.</summary>
    public async Task OpenedAsync(RunContext context, RunRecord run, PullRequestRef opened)
    {
        await grains.GetGrain<IPullRequestGrain>(new IssueKey(context.Issue.Owner, context.Issue.Repository, opened.Number).ToString())
            .LinkAsync(context.Issue.ToString(), run.Branch);
        var state = context.State;
        if (state.PullRequest(opened.Number) is not { } pullRequest)
        {
            pullRequest = new AgentPullRequest { Number = opened.Number, Url = opened.Url, Branch = run.Branch };
            state.PullRequests.Add(pullRequest);
            if (state.PullRequests.Count > PullRequestsKept) state.PullRequests.RemoveAt(0);
        }

        Pushed(pullRequest, run);
        context.Changed();
    }

    /// <summary>An iteration pushed its commit: the branch's head is the service's again, and the description's log says what changed.</summary>
    public async Task PublishedAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (context.State.PullRequest(run.IteratesOn) is not { } pullRequest) return;
        Pushed(pullRequest, run);
        context.Changed();
        var key = pullRequest.Key(context.Issue);
        if (await pullRequests.GetAsync(key, cancellationToken) is { } current)
            await pullRequests.UpdateBodyAsync(key, IterationLog.Replace(current.Body, pullRequest.Log), cancellationToken);
    }

    /// <summary>
    /// Starts the oldest waiting iteration when no run is active: reads its feedback, then queues a run on the pull
    /// request's branch. One whose pull request was closed, or whose failing head was pushed over, is dropped.
    /// </summary>
    public async Task StartPendingAsync(RunContext context, CancellationToken cancellationToken)
    {
        var state = context.State;
        if (state.Current?.State.IsActive() == true || context.GitHubPaused) return;
        if (state.PullRequests.Find(p => p.Pending is not null) is not { } pullRequest) return;
        var pending = pullRequest.Pending!;
        var status = await pullRequests.GetAsync(pullRequest.Key(context.Issue), cancellationToken);
        if (DropReason(pullRequest, pending, status) is { } reason)
        {
            LogDropped(context.Logger, context.Issue, pullRequest.Number, pending.Kind, reason);
            pullRequest.Pending = null;
            context.Changed();
            return;
        }

        IterationFeedback read;
        long reviewsThrough, commentsThrough;
        try
        {
            (read, reviewsThrough, commentsThrough) = await feedback.ReadAsync(context.Issue, pullRequest, pending, cancellationToken);
        }
        catch (GitHubRequestException refused)
        {
            // GitHub will not give the feedback (the token may not read pull requests): say so once instead of asking forever.
            LogDropped(context.Logger, context.Issue, pullRequest.Number, pending.Kind, refused.Message);
            pullRequest.Pending = null;
            context.Changed();
            await ReplyAsync(context, pullRequest, $"The feedback on this pull request could not be read from GitHub ({refused.Message}), so no iteration was started.", cancellationToken);
            return;
        }

        (pullRequest.ReviewsReadThrough, pullRequest.CommentsReadThrough) = (reviewsThrough, commentsThrough);
        pullRequest.Pending = null;
        context.Changed();
        if (read.IsEmpty && pending.Instructions.Count == 0 && pending.FailingHead is null)
        {
            LogNothingToAddress(context.Logger, context.Issue, pullRequest.Number);
            return;
        }

        read.EarlierIterations.AddRange(state.Runs
            .Where(r => (r.IteratesOn ?? r.PullRequestNumber) == pullRequest.Number && !string.IsNullOrWhiteSpace(r.AgentSummary))
            .Select(r => $"Iteration {r.Iteration} ({IterationLog.Trigger(r)}): {IssueText.Cap(r.AgentSummary, IterationFeedbackReader.MaxNoteLength)}"));
        var opener = state.Runs.LastOrDefault(r => r.PullRequestNumber == pullRequest.Number) ?? state.Current!;
        var run = QueuedRun.Create(context.Issue, pending.Source, pending.Actor, opener.Issue,
            pending.Instructions.Count == 0 ? null : string.Join("\n\n", pending.Instructions),
            settings.Resolve(context.Issue, opener.RequestedModel), opener.RequestedModel, context.Now,
            $"iteration {pullRequest.Iterations + 2} on #{pullRequest.Number}: {Describe(pending)}");
        run.Branch = pullRequest.Branch;
        (run.IteratesOn, run.Iteration, run.Feedback) = (pullRequest.Number, pullRequest.Iterations + 2, read);
        (run.PullRequestNumber, run.PullRequestUrl) = (pullRequest.Number, pullRequest.Url);
        pullRequest.Iterations++;
        if (pending.FailingHead is { } head)
        {
            pullRequest.FixAttempts++;
            pullRequest.FixedHeads.Add(head);
        }

        state.Runs.Add(run);
        LogIterationQueued(context.Logger, context.Issue, run.RunId, pullRequest.Number, run.Iteration, pending.Kind);
        await context.AnnounceAsync();
    }

    private static void RequestIteration(RunContext context, AgentPullRequest pullRequest, IssueCommand command)
    {
        var signal = command.PullRequest!;
        var readThrough = command.Source == CommandSource.Review ? pullRequest.ReviewsReadThrough
            : command.Source == CommandSource.ReviewComment ? pullRequest.CommentsReadThrough : 0;
        if (signal.FeedbackId <= readThrough)
        {
            LogAlreadyRead(context.Logger, context.Issue, pullRequest.Number, command.Source, signal.FeedbackId.Value);
            return;
        }

        var pending = pullRequest.Pending ??= new PendingIteration { RequestedAt = context.Now };
        (pending.Kind, pending.Source, pending.Actor) = (CommandKind.Iterate, command.Source, command.Actor);
        if (command.Instructions is { } text) pending.Instructions.Add(text);
    }

    private async Task RequestFixAsync(RunContext context, AgentPullRequest pullRequest, IssueCommand command, CancellationToken cancellationToken)
    {
        var signal = command.PullRequest!;
        var head = signal.HeadSha;
        string? notNow =
            pullRequest.AutofixOff ? "autofix is off"
            : pullRequest.HumanPushedAt is not null ? "someone else has pushed to the branch"
            : head is null || !string.Equals(head, pullRequest.Head, StringComparison.OrdinalIgnoreCase) ? $"{head} is not the head the service pushed"
            : pullRequest.FixedHeads.Contains(head, StringComparer.OrdinalIgnoreCase) ? "a fix for this head was already started"
            : null;
        if (notNow is not null)
        {
            if (pullRequest.Pending is { } waiting && string.Equals(waiting.FailingHead, head, StringComparison.OrdinalIgnoreCase)) AddCheck(waiting, signal);
            LogNoFix(context.Logger, context.Issue, pullRequest.Number, notNow);
            return;
        }

        if (pullRequest.FixAttempts >= options.Value.MaxFixAttempts)
        {
            await GiveUpAsync(context, pullRequest, head!, cancellationToken);
            return;
        }

        var pending = pullRequest.Pending ??= new PendingIteration { Kind = CommandKind.Fix, Source = command.Source, Actor = command.Actor, RequestedAt = context.Now };
        pending.FailingHead = head;
        AddCheck(pending, signal);
    }

    private async Task GiveUpAsync(RunContext context, AgentPullRequest pullRequest, string head, CancellationToken cancellationToken)
    {
        LogGaveUp(context.Logger, context.Issue, pullRequest.Number, pullRequest.FixAttempts);
        if (pullRequest.GaveUpSaid) return;
        await ReplyAsync(context, pullRequest,
            $"Checks still fail on `{head[..Math.Min(7, head.Length)]}` after {pullRequest.FixAttempts} fix runs (`Runs:MaxFixAttempts`), so the agent gives up " +
            $"fixing this pull request. Push a fix, or comment `{triggers.Value.Command} <instructions>` for another iteration.", cancellationToken);
        pullRequest.GaveUpSaid = true;
    }

    /// <summary>A short reply on the pull request; best effort, but a rate limit is obeyed (the command waits).</summary>
    private async Task ReplyAsync(RunContext context, AgentPullRequest pullRequest, string body, CancellationToken cancellationToken)
    {
        try
        {
            await gitHub.CreateCommentAsync(pullRequest.Key(context.Issue), body, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or GitHubRateLimitedException))
        {
            LogReplyFailed(context.Logger, ex, context.Issue, pullRequest.Number);
        }
    }

    private static void AddCheck(PendingIteration pending, PullRequestSignal signal)
    {
        var name = signal.Checks ?? "checks";
        if (!pending.FailingChecks.Contains(name, StringComparer.Ordinal)) pending.FailingChecks.Add(name);
    }

    private static string? DropReason(AgentPullRequest pullRequest, PendingIteration pending, PullRequestStatus? status) =>
        status is null ? "the pull request is gone"
        : !status.Open ? (status.Merged ? "the pull request was merged" : "the pull request was closed")
        : pending.Kind == CommandKind.Fix && !string.Equals(status.HeadSha, pending.FailingHead, StringComparison.OrdinalIgnoreCase)
            ? $"the branch moved on from {pending.FailingHead} to {status.HeadSha}"
            : null;

    private static string Describe(PendingIteration pending) => pending.Kind == CommandKind.Fix
        ? $"fix failing {string.Join(", ", pending.FailingChecks)} on {pending.FailingHead?[..Math.Min(7, pending.FailingHead.Length)]}"
        : $"{StatusComment.Describe(pending.Source)} by @{pending.Actor}";

    private static void Pushed(AgentPullRequest pullRequest, RunRecord run)
    {
        if (run.CommitSha is { } commit && !pullRequest.OwnCommits.Contains(commit, StringComparer.OrdinalIgnoreCase)) pullRequest.OwnCommits.Add(commit);
        var marker = $"run `{run.RunId}`";
        var line = IterationLog.Line(run);
        var at = pullRequest.Log.FindIndex(l => l.Contains(marker, StringComparison.Ordinal));
        if (at >= 0) pullRequest.Log[at] = line;
        else pullRequest.Log.Add(line);
        if (pullRequest.Log.Count > LogLinesKept) pullRequest.Log.RemoveAt(0);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: autofix {On} (@{Actor})")]
    private static partial void LogAutofix(ILogger logger, IssueKey issue, int pullRequest, bool on, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: {Head} was pushed by someone else; fixes stop")]
    private static partial void LogPushedByOthers(ILogger logger, IssueKey issue, int pullRequest, string head);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: no fix run: {Why}")]
    private static partial void LogNoFix(ILogger logger, IssueKey issue, int pullRequest, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: checks failed after {Attempts} fix runs; giving up")]
    private static partial void LogGaveUp(ILogger logger, IssueKey issue, int pullRequest, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: {Source} {Id} was read into an earlier iteration; ignored")]
    private static partial void LogAlreadyRead(ILogger logger, IssueKey issue, int pullRequest, CommandSource source, long id);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: waiting {Kind} dropped: {Why}")]
    private static partial void LogDropped(ILogger logger, IssueKey issue, int pullRequest, CommandKind kind, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: pull request #{PullRequest}: no feedback from people with write access to address; no iteration")]
    private static partial void LogNothingToAddress(ILogger logger, IssueKey issue, int pullRequest);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} queued: iteration {Iteration} on pull request #{PullRequest} ({Kind})")]
    private static partial void LogIterationQueued(ILogger logger, IssueKey issue, string runId, int pullRequest, int iteration, CommandKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: could not reply on pull request #{PullRequest}")]
    private static partial void LogReplyFailed(ILogger logger, Exception exception, IssueKey issue, int pullRequest);
}
