using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.GitHub;
using SandboxAgents.Runner;
using SandboxAgents.Runs.Iterations;
using SandboxAgents.Runs.Progress;
using SandboxAgents.Runs.RepositoryConfig;
using SandboxAgents.Runs.Transcripts;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// Moves an issue's runs forward one tick at a time: provision, start the runner, watch it, publish; after each step
/// the run's due follow-up work (<see cref="RunEffects"/>) is applied, and the tick ends with one write. Every step is
/// safe to repeat after a crash, because what it did is stored before the next step relies on it.
/// </summary>
public sealed partial class RunDriver(
    ISandboxProvider sandboxes,
    IRepositoryMirror mirror,
    RunnerLauncher launcher,
    RunBasePreparation preparation,
    IGitHubIssues gitHub,
    IGitHubCredentials credentials,
    CommitAttributor attributor,
    RunEffects effects,
    QueueSlotEffect queue,
    PullRequestIterations iterations,
    SteeringMessages steering,
    SecretRedactor redactor,
    TranscriptKeeper transcripts,
    IOptions<DashboardLinkOptions> links,
    IOptions<GitOptions> git,
    IOptions<GitHubOptions> gitHubOptions,
    IOptions<RunOptions> options)
{
    /// <summary>Refused hosts kept per run; the proxy keeps its own cap too.</summary>
    private const int MaxBlockedHosts = 50;

    /// <summary>
    /// Time the runner gets after the wrap-up grace to commit and bundle what the agent left: it ends the agent when
    /// the grace is over, then runs git over the whole checkout, which takes a while on a large one.
    /// </summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromMinutes(1);

    public async Task AdvanceAsync(RunContext context, CancellationToken cancellationToken)
    {
        foreach (var run in context.State.Runs.Where(r => !effects.IsSettled(context.State, r)).ToList())
        {
            using (GitHubRunScope.Enter(run.RunId))
            {
                if (run.State.IsActive()) await StepAsync(context, run, cancellationToken);
                await effects.ApplyDueAsync(context, run, cancellationToken);
            }

            if (effects.IsSettled(context.State, run)) await credentials.ReleaseRunAsync(GitHubTokenScope.ForRun(context.Issue, run.RunId), cancellationToken);
        }
    }

    private async Task StepAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        // Once the runner has exited the agent's time is over; publishing may wait for GitHub's rate limits. A running
        // agent is asked to stop at the deadline and gets its grace to wrap up, so that the runner commits what exists.
        if (run.Deadline is { } deadline && context.Now >= deadline && run.State != RunState.Publishing)
        {
            if (!MayWrapUp(run, deadline, context.Now))
            {
                await context.FinishAsync(run, RunState.TimedOut, run.StopRequestedAt is null
                    ? $"Stopped at the time limit of {run.Settings.Timeout}."
                    : $"Stopped at the time limit of {run.Settings.Timeout}: the agent had not finished {run.Settings.WrapUpGrace} after it was asked to wrap up.");
                return;
            }

            if (run.StopRequestedAt is null) await RequestStopAsync(context, run, cancellationToken);
        }

        try
        {
            if (run.State == RunState.Queued)
            {
                if (run.RetryAt > context.Now) return;
                if (run.BaseCommit is null && !await PrepareBaseAsync(context, run, cancellationToken)) return;
                if (!await queue.AcquireAsync(context, run)) return;
                run.RetryAt = null;
                run.Deadline = context.Now + run.Settings.Timeout;
                await context.TransitionAsync(run, RunState.Provisioning, $"sandbox {run.SandboxName}{TakeSettingsNote(run)}");
            }

            if (run.State == RunState.Provisioning) await ProvisionAsync(context, run, cancellationToken);
            if (run.State == RunState.Running) await WatchAsync(context, run, cancellationToken);
            if (run.State == RunState.Publishing) await PublishAsync(context, run, cancellationToken);
        }
        catch (GitHubRateLimitedException limit)
        {
            // Not the step's fault: the run stays where it is and goes on once GitHub allows.
            context.PauseGitHub(limit);
        }
        catch (SandboxCapacityException ex) when (run is { State: RunState.Provisioning, SandboxId: null })
        {
            run.Deadline = null;
            run.RetryAt = context.Now + options.Value.CapacityRetryInterval;
            await context.TransitionAsync(run, RunState.Queued, $"Waiting for sandbox capacity: {redactor.Redact(ex.Message)}");
        }
        catch (GitException ex) when (ex.IsPermanent)
        {
            await context.FinishAsync(run, RunState.Failed, redactor.Redact(ex.Message));
        }
        catch (SandboxFailedException ex)
        {
            await context.FinishAsync(run, RunState.Failed, $"The sandbox failed: {redactor.Redact(ex.Message)}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.FailedAttempts++;
            LogStepFailed(context.Logger, ex, context.Issue, run.RunId, run.State, run.FailedAttempts);
            if (run.FailedAttempts >= run.Settings.MaxStepFailures)
                await context.FinishAsync(run, RunState.Failed, $"{run.State} failed: {redactor.Redact(ex.Message)}");
            else
                context.Changed();
        }
    }

    /// <summary>
    /// A running run past its deadline is watched on while the agent wraps up and the runner commits. Runs stored
    /// before the grace was kept (a zero grace) end at the deadline, as they did then.
    /// </summary>
    private static bool MayWrapUp(RunRecord run, DateTimeOffset deadline, DateTimeOffset now) =>
        run is { State: RunState.Running, SandboxId: not null, CommandId: not null }
        && run.Settings.WrapUpGrace > TimeSpan.Zero
        && now < deadline + run.Settings.WrapUpGrace + CommitMargin;

    /// <summary>Uploads the runner's stop file once; a failed upload is tried again at the next tick, until the grace is over.</summary>
    private async Task RequestStopAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            await sandboxes.UploadAsync(run.SandboxId!, RunnerFiles.StopRequest, ReadOnlyMemory<byte>.Empty, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStopRequestFailed(context.Logger, ex, context.Issue, run.RunId);
            return;
        }

        run.StopRequestedAt = context.Now;
        run.Changed();
        await context.SaveAsync();
        LogStopRequested(context.Logger, context.Issue, run.RunId, run.Settings.WrapUpGrace);
    }

    private async Task ProvisionAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        // A run queued before bases were prepared in the queue.
        if (run.BaseCommit is null)
        {
            if (!await PrepareBaseAsync(context, run, cancellationToken)) return;
            run.Deadline = run.StartedAt + run.Settings.Timeout;
        }

        if (run.SandboxId is null)
        {
            var sandbox = await sandboxes.CreateAsync(launcher.SpecFor(context.Issue, run, context.Now), cancellationToken);
            run.SandboxId = sandbox.Id;
            await context.SaveAsync();
        }

        run.CommandId = await launcher.StartAsync(context.Issue, run, run.SandboxId, context.SaveAsync, cancellationToken);
        await context.TransitionAsync(run, RunState.Running, $"runner started in {run.SandboxId}{TakeSettingsNote(run)}");
    }

    /// <summary>Pins the run's base and merges its repository's settings; a file that cannot be used fails the run.</summary>
    private async Task<bool> PrepareBaseAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        var problem = await preparation.PrepareAsync(context.Issue, run, cancellationToken);
        context.Changed(); // a replay after a crash prepares it again: nothing outside depends on it yet
        if (problem is null) return true;
        await context.FinishAsync(run, RunState.Failed, problem);
        return false;
    }

    private static string TakeSettingsNote(RunRecord run)
    {
        var note = run.SettingsNote is { } said ? $"; {said}" : "";
        run.SettingsNote = null;
        return note;
    }

    private async Task WatchAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        await steering.SendAsync(context, run, cancellationToken);
        var follow = context.Follows.For(run);
        if (follow.Lines.Take() is { } heard) NoteTail(context, run, ReadableTail.Of(heard.Tail, heard.Calls, redactor));
        if (!follow.NeedsStatus(context.Now, options.Value.FallbackPollInterval)) return;

        var status = await sandboxes.GetCommandAsync(run.SandboxId!, run.CommandId!, run.Settings.LogTailLines, cancellationToken);
        follow.StatusRead(context.Now);
        NoteTail(context, run, ReadableTail.From(status.LogTail, redactor));
        var blocked = status.BlockedHosts.Except(run.BlockedHosts, StringComparer.Ordinal).ToList();
        if (blocked.Count > 0)
        {
            run.BlockedHosts.AddRange(blocked.Take(Math.Max(0, MaxBlockedHosts - run.BlockedHosts.Count)));
            run.Changed();
            context.Changed();
        }

        if (status.LimitExceeded is { } limit)
        {
            await context.FinishAsync(run, RunState.Failed, limit);
            return;
        }

        switch (status.Phase)
        {
            case CommandPhase.Lost:
                await context.FinishAsync(run, RunState.Failed, "The sandbox lost the runner before it finished.");
                break;
            case CommandPhase.Exited:
                run.RunnerExitCode = status.ExitCode;
                await context.TransitionAsync(run, RunState.Publishing, $"runner exited {status.ExitCode}");
                break;
        }
    }

    /// <summary>
    /// The tail as last heard, from the follow or a status read, and its new tool calls as steps. Like the tail, a new
    /// step is no reason to edit the comment at once: the comment's refresh is throttled.
    /// </summary>
    private static void NoteTail(RunContext context, RunRecord run, ReadableTail tail)
    {
        var changed = !tail.Lines.SequenceEqual(run.LogTail, StringComparer.Ordinal);
        if (changed) run.LogTail = [.. tail.Lines];
        changed |= AgentSteps.Append(run, tail.ToolCalls, context.Now);
        if (changed) context.Changed();
    }

    private async Task PublishAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        if (!run.TranscriptKept)
        {
            await transcripts.KeepAsync(context.Issue, run, cancellationToken);
            context.Changed();
        }

        var result = await launcher.ReadResultAsync(run.SandboxId!, cancellationToken);
        if (result is null)
        {
            var lastLine = run.LogTail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "no output";
            await context.FinishAsync(run, RunState.Failed,
                $"The runner ended (exit code {run.RunnerExitCode}) without a result. Last output: {lastLine}");
            return;
        }

        if (SteeringMessages.Delivered(context, run, result.MessagesDelivered) && run.StopRequestedAt is null && run.CommitSha is null)
        {
            await steering.ResumeAsync(context, run, cancellationToken);
            return;
        }

        run.CostUsd = result.AgentResult?.TotalCostUsd;
        run.Turns = result.AgentResult?.NumTurns;
        run.AgentSummary = result.AgentResult?.Result is { } said ? redactor.Redact(said) : null;
        run.Checks = RunChecks.From(result, run.Settings, redactor);

        var verdict = run.StopRequestedAt is null ? OutcomeJudge.Judge(result, run.Settings) : OutcomeJudge.AtDeadline(result, run.Settings);
        if (verdict.Publishes && run.CommitSha is null)
        {
            var published = await PublishChangesAsync(context, run, cancellationToken);
            if (published.HasChanges)
            {
                run.CommitSha = published.Commit;
                run.BranchUrl = gitHubOptions.Value.BranchUrl(context.Issue, run.Branch);
                context.Changed(); // a replay pushes the same commit: its date is the start of publishing
            }
            else
            {
                verdict = verdict.State == RunState.Succeeded
                    ? new Verdict(RunState.NoChanges, "The agent's commits add up to no change.")
                    : verdict with { Incomplete = null };
            }
        }

        run.IncompleteBecause = verdict.Incomplete;
        if (verdict.Publishes && run.IteratesOn is not null)
        {
            if (context.GitHubPaused) return; // the branch is pushed; the description waits for GitHub's leave
            await iterations.PublishedAsync(context, run, cancellationToken);
            context.GitHubAnswered();
        }
        else if (verdict.Publishes)
        {
            if (context.GitHubPaused) return; // the branch is pushed; the pull request waits for GitHub's leave
            var pullRequest = await gitHub.FindOpenPullRequestAsync(context.Issue, run.Branch, cancellationToken)
                ?? await gitHub.CreatePullRequestAsync(context.Issue, new NewPullRequestSpec(
                    PullRequestText.Title(context.Issue, run), run.Branch, run.BaseBranch ?? "main",
                    PullRequestText.Body(context.Issue, run, context.Now, links.Value.TranscriptOf(context.Issue, run)), PullRequestText.IsDraft(run)), cancellationToken);
            run.PullRequestUrl = pullRequest.Url;
            run.PullRequestNumber = pullRequest.Number;
            await iterations.OpenedAsync(context, run, pullRequest);
            context.GitHubAnswered();
        }

        if (verdict.State is RunState.Failed or RunState.TimedOut) run.Error = redactor.Redact(verdict.Reason!);
        await context.TransitionAsync(run, verdict.State, verdict.Reason is null ? null : redactor.Redact(verdict.Reason));
    }

    /// <summary>
    /// Takes the runner's bundle of commits out of the sandbox and has the mirror check it and push the run's branch.
    /// The commit's date is the moment the run began publishing, so a repeat after a crash pushes the same commit.
    /// </summary>
    private async Task<PublishedChange> PublishChangesAsync(RunContext context, RunRecord run, CancellationToken cancellationToken)
    {
        using var bundle = mirror.CreateScratchFile();
        bool found;
        try
        {
            await using var copy = bundle.OpenWrite();
            found = await sandboxes.DownloadAsync(run.SandboxId!, RunnerFiles.ChangesBundle, copy, git.Value.MaxChangesBytes, cancellationToken);
        }
        catch (SandboxFileTooLargeException)
        {
            throw new GitException(
                $"The agent's changes were refused: they are larger than the {git.Value.MaxChangesBytes / (1024 * 1024)} MB allowed (Git:MaxChangesBytes).", permanent: true);
        }

        if (!found) throw new GitException("The runner reported commits but left no bundle of them.", permanent: true);
        var publishing = run.Transitions.Last(t => t.State == RunState.Publishing).At;
        if (run.Attribution is null)
        {
            run.Attribution = await attributor.DecideAsync(context.Issue, run.RequestedBy, cancellationToken);
            await context.SaveAsync(); // decided once: a replay must name the same people
        }

        var iteration = run.IteratesOn is { } number ? $" (iteration {run.Iteration.ToString(System.Globalization.CultureInfo.InvariantCulture)} on #{number.ToString(System.Globalization.CultureInfo.InvariantCulture)})" : "";
        var message = $"Agent changes for issue #{context.Issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}{iteration}\n\nRun {run.RunId}.\n\n{run.Attribution.Trailer}";
        var author = new CommitAuthor(run.Attribution.AuthorName, run.Attribution.AuthorEmail);
        return await mirror.PublishAsync(context.Issue, new ChangeRequest(run.RunId, run.Branch, run.BaseCommit!, message, publishing, author), bundle, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} reached its deadline; the agent was asked to stop and has {Grace} to wrap up")]
    private static partial void LogStopRequested(ILogger logger, IssueKey issue, string runId, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} reached its deadline, but the stop request could not be uploaded; trying again")]
    private static partial void LogStopRequestFailed(ILogger logger, Exception exception, IssueKey issue, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} step {State} failed (attempt {Attempt})")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, IssueKey issue, string runId, RunState state, int attempt);
}
