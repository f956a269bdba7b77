using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Runs.Iterations;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// One GitHub issue. Commands land in a persisted inbox and the call returns at once, even while a long step (a
/// sandbox being created) is under way; a grain timer then acts on them and drives the run (<see cref="RunDriver"/>),
/// and a reminder, the durable watchdog, re-activates the grain after a crash until every run is settled: ended,
/// sandbox deleted, comment final. A running runner is followed (<see cref="CommandFollows"/>): its output comes as it
/// is printed, and its end wakes the grain at once.
/// </summary>
public sealed partial class SandboxGrain(
    [PersistentState(StorageNames.IssueState, StorageNames.Runs)] IPersistentState<IssueState> state,
    [PersistentState(StorageNames.InboxState, StorageNames.Runs)] IPersistentState<InboxState> inboxState,
    RunDriver driver,
    RunEffects effects,
    RunSettingsResolver settings,
    CommandAuthorization authorization,
    PullRequestIterations iterations,
    IGitHubIssues gitHub,
    IGitHubCredentials credentials,
    ISandboxProvider sandboxes,
    IOptions<RunOptions> options,
    IOptions<TriggerOptions> triggers,
    [FromKeyedServices(RunClock.Key)] TimeProvider clock,
    IEnumerable<IRunTickObserver> tickObservers,
    ILogger<SandboxGrain> logger) : Grain, ISandboxGrain, IRemindable
{
    private readonly CommandInbox _inbox = new(inboxState);
    private IGrainTimer? _timer;
    private bool _watchdogRegistered;
    private CancellationTokenSource? _step;
    private bool _ticking;
    private bool _tickAgainAtOnce;
    private CommandFollows? _follows;

    private IssueKey Key => IssueKey.Parse(this.GetPrimaryKeyString());

    private CommandFollows Follows => _follows ??= new CommandFollows(Key, sandboxes, FollowEnded, logger);

    private bool HasWork => effects.NeedAttention(state.State) || PullRequestIterations.HasPending(state.State) || _inbox.After(state.State.LastCommand).Count > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Runs stored before settings were kept go by today's settings from here on.
        foreach (var run in state.State.Runs) run.StoredSettings ??= settings.Resolve(Key);
        if (!HasWork) return;
        await EnsureWatchdogAsync();
        Watch(TimeSpan.Zero);
    }

    /// <summary>In memory only: the next activation follows its runners anew.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _follows?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<CommandAnswer> SubmitAsync(IssueCommand command)
    {
        command = command.Issue is { } text ? command with { Issue = text.Capped() } : command;
        var outcome = _inbox.HasSeen(command)
            ? SubmitOutcome.DuplicateDelivery
            : CommandJudge.Judge(command, state.State, _inbox.After(state.State.LastCommand).Select(c => c.Command));
        // The inbox may have taken the same delivery while this call waited for its write.
        if (outcome == SubmitOutcome.Accepted && !await _inbox.AddAsync(command, state.State.LastCommand)) outcome = SubmitOutcome.DuplicateDelivery;
        if (outcome != SubmitOutcome.Accepted)
        {
            LogNotTaken(command, outcome);
            return new CommandAnswer(outcome, Snapshot());
        }

        // A cancel must not wait behind a slow step (a sandbox still starting): abort it, the next tick cancels the run.
        if (command.Kind == CommandKind.Cancel && _step is { } step) await step.CancelAsync();
        await EnsureWatchdogAsync();
        if (_ticking) _tickAgainAtOnce = true;
        else Watch(TimeSpan.Zero);
        return new CommandAnswer(SubmitOutcome.Accepted, Snapshot());
    }

    public Task<IssueSnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot());

    private IssueSnapshot Snapshot()
    {
        var current = state.State.Current;
        return new IssueSnapshot(
            Key.ToString(),
            current?.State ?? RunState.Idle,
            current?.RunId,
            current?.SandboxId,
            current?.Branch,
            current?.PullRequestUrl,
            current?.Error,
            [.. state.State.Runs.Select(r => r.ToSummary())],
            _inbox.After(state.State.LastCommand).Count,
            current?.LogTail ?? [],
            RuntimeIdentity);
    }

    public Task<bool> OwnsSandboxAsync(string sandboxId, string? runId) =>
        Task.FromResult(state.State.Runs.Any(run => run.State.IsActive()
            && (run.SandboxId == sandboxId || (run.SandboxId is null && run.RunId == runId))));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _watchdogRegistered = true;
        await TickAsync(CancellationToken.None);
    }

    /// <summary>
    /// Arms the one next tick. Each tick arms its successor as it ends, so once a tick is over the next one is already
    /// waiting on the clock.
    /// </summary>
    private void Watch(TimeSpan dueTime)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = dueTime,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    /// <summary>
    /// A follow returned (its command ended or was lost) or broke: the next tick is due now. Runs on the grain's
    /// scheduler outside any tick, so it only re-arms the timer; a tick under way sees the end as it finishes.
    /// </summary>
    private void FollowEnded()
    {
        if (!_ticking) Watch(TimeSpan.Zero);
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _ticking = true;
        try
        {
            if (HasWork) await EnsureWatchdogAsync();
            await StepRunsAsync(cancellationToken);
            state.State.TrimHistory(options.Value.HistoryLength, run => effects.IsSettled(state.State, run));
        }
        finally
        {
            _ticking = false;
            Follows.Keep(state.State.Runs, clock.GetUtcNow(), options.Value.PollInterval);
            if (HasWork) Watch(_tickAgainAtOnce || Follows.AnyEndUnseen ? TimeSpan.Zero : options.Value.PollInterval);
            else StopTimer();
            _tickAgainAtOnce = false;
        }

        if (!HasWork) await UnregisterWatchdogAsync();
        foreach (var observer in tickObservers) observer.TickCompleted(Key);
    }

    private async Task StepRunsAsync(CancellationToken cancellationToken)
    {
        var context = new RunContext(Key, state, effects, clock, Follows, logger);
        using var step = new CancellationTokenSource();
        _step = step;
        try
        {
            await ProcessInboxAsync(context, cancellationToken);
            await iterations.StartPendingAsync(context, step.Token);
            await driver.AdvanceAsync(context, step.Token);
        }
        catch (OperationCanceledException) when (step.IsCancellationRequested)
        {
            LogStepAborted(logger, Key);
            _tickAgainAtOnce = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTickFailed(logger, ex, Key);
        }
        finally
        {
            _step = null;
        }

        await context.SaveIfChangedAsync();
    }

    private async Task ProcessInboxAsync(RunContext context, CancellationToken cancellationToken)
    {
        foreach (var (number, command) in _inbox.After(state.State.LastCommand))
        {
            if (command.InstallationId is { } installation) credentials.NoteInstallation(Key.Owner, Key.Repository, installation);
            // Commands are taken in order: one that must wait for GitHub holds back those after it.
            if (context.GitHubPaused && NeedsGitHub(command)) return;
            var verdict = await authorization.AuthorizeAsync(context, command, cancellationToken);
            if (verdict == Authorization.Pending) return;
            try
            {
                if (verdict == Authorization.Allowed && command.RequiresPermission && IsAcknowledgedOnIssue(command)) await AcknowledgeAsync(context, command, cancellationToken);
                if (verdict == Authorization.Allowed && context.GitHubPaused && ReadsIssue(command)) return;
                if (verdict == Authorization.Allowed) await ApplyAsync(context, command, cancellationToken);
            }
            catch (GitHubRateLimitedException limit)
            {
                context.PauseGitHub(limit);
                return;
            }

            state.State.LastCommand = number;
            context.Changed(); // written with the run it started, or at the end of the tick: a replay is harmless
        }
    }

    private async Task ApplyAsync(RunContext context, IssueCommand command, CancellationToken cancellationToken)
    {
        var current = state.State.Current;
        var outcome = CommandJudge.Judge(command, state.State, []);
        if (outcome != SubmitOutcome.Accepted)
        {
            LogNotTaken(command, outcome);
            return;
        }

        if (command.Kind == CommandKind.Cancel)
        {
            if (command.WithdrawsGitHubAccess) GitHubAccess.Withdraw(state.State);
            if (current is { State: var s } && s.IsActive())
                await context.FinishAsync(current, RunState.Cancelled, $"Cancelled by @{command.Actor} ({StatusComment.Describe(command.Source)}).");
            return;
        }

        if (command.Kind == CommandKind.Message && current?.State.IsActive() != true)
        {
            await RefuseAsync(context, command, $"@{command.Actor} no run is active here, so there is nothing to give these instructions to. " +
                $"To start a run with them, comment `{triggers.Value.Command} run <instructions>`.", cancellationToken);
            return;
        }

        if (CommandJudge.Steers(command, current?.State.IsActive() == true))
        {
            SteeringMessages.Take(context, current!, command);
            return;
        }

        if (command.Kind is CommandKind.Iterate or CommandKind.Fix or CommandKind.Autofix or CommandKind.HeadPushed)
        {
            await iterations.ApplyAsync(context, command, cancellationToken);
            return;
        }

        if (command.Model is { } model && ModelName.Problem(model) is { } wrong)
        {
            await RefuseModelAsync(context, command, wrong, cancellationToken);
            return;
        }

        var issue = command.Issue ?? await gitHub.GetIssueAsync(Key, cancellationToken);
        if (issue is null)
        {
            LogNoSuchIssue(logger, Key, command.Actor);
            return;
        }

        var run = QueuedRun.Create(Key, command.Source, command.Actor, issue, command.Instructions, settings.Resolve(Key, command.Model),
            command.Model, clock.GetUtcNow(), $"{command.Kind} by @{command.Actor}");
        state.State.Runs.Add(run);
        context.Changed();
        LogRunQueued(logger, Key, run.RunId, command.Actor);
        await context.AnnounceAsync();
    }

    /// <summary>
    /// The 👀 goes on the command's comment or the labelled issue; reviews and line comments (reacted to through other
    /// routes) get none: the iteration's comment on the pull request answers them.
    /// </summary>
    private static bool IsAcknowledgedOnIssue(IssueCommand command) => command.Source is not (CommandSource.Review or CommandSource.ReviewComment);

    /// <summary>Asking who may give it, or reading the issue's text, calls GitHub.</summary>
    private static bool NeedsGitHub(IssueCommand command) => command.RequiresPermission || ReadsIssue(command);

    private static bool ReadsIssue(IssueCommand command) => command.Kind is CommandKind.Run or CommandKind.Retry && command.Issue is null;

    /// <summary>The 👀 on the label's issue or the command's comment: seen, and taken. Best effort, but a rate limit is obeyed.</summary>
    private async Task AcknowledgeAsync(RunContext context, IssueCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await gitHub.AcknowledgeAsync(Key, command.CommentId, cancellationToken);
        }
        catch (GitHubRateLimitedException limit)
        {
            context.PauseGitHub(limit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAcknowledgeFailed(logger, ex, Key);
        }
    }

    private Task RefuseModelAsync(RunContext context, IssueCommand command, string why, CancellationToken cancellationToken)
    {
        LogModelRefused(logger, Key, command.Actor, why);
        return RefuseAsync(context, command, $"@{command.Actor} `--model` was refused: {why}. Nothing was started.", cancellationToken);
    }

    /// <summary>A 😕 and a reply saying why nothing happened; best effort, but a rate limit is obeyed (the command waits).</summary>
    private async Task RefuseAsync(RunContext context, IssueCommand command, string reply, CancellationToken cancellationToken)
    {
        try
        {
            await gitHub.ReactAsync(Key, command.CommentId, GitHubReaction.Confused, cancellationToken);
            await gitHub.CreateCommentAsync(Key, reply, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or GitHubRateLimitedException))
        {
            LogAcknowledgeFailed(logger, ex, Key);
        }
    }

    private void LogNotTaken(IssueCommand command, SubmitOutcome outcome)
    {
        if (outcome == SubmitOutcome.DuplicateDelivery) LogDuplicateDelivery(logger, Key, command.DeliveryId!);
        else LogNotTaken(logger, Key, command.Kind, command.Source, command.Actor, outcome);
    }

    private async Task EnsureWatchdogAsync()
    {
        if (_watchdogRegistered) return;
        var period = options.Value.WatchdogPeriod;
        await this.RegisterOrUpdateReminder(StorageNames.WatchdogReminder, period, period);
        _watchdogRegistered = true;
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }

    private async Task UnregisterWatchdogAsync()
    {
        var reminder = await this.GetReminder(StorageNames.WatchdogReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        // A command that came in meanwhile may have raced this; the tick it armed registers the watchdog again.
        _watchdogRegistered = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: delivery {DeliveryId} was seen before; ignored")]
    private static partial void LogDuplicateDelivery(ILogger logger, IssueKey issue, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: {Kind} from {Source} by @{Actor} not taken: {Outcome}")]
    private static partial void LogNotTaken(ILogger logger, IssueKey issue, CommandKind kind, CommandSource source, string actor, SubmitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} queued for @{Actor}")]
    private static partial void LogRunQueued(ILogger logger, IssueKey issue, string runId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: @{Actor}'s run was refused: {Why}")]
    private static partial void LogModelRefused(ILogger logger, IssueKey issue, string actor, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: could not add the 👀 reaction")]
    private static partial void LogAcknowledgeFailed(ILogger logger, Exception exception, IssueKey issue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: @{Actor} asked for a run, but GitHub has no such issue; ignored")]
    private static partial void LogNoSuchIssue(ILogger logger, IssueKey issue, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: a step was aborted to act on a cancel")]
    private static partial void LogStepAborted(ILogger logger, IssueKey issue);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Issue}: a watch tick failed; the next one tries again")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, IssueKey issue);
}
