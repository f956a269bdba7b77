using SandboxAgents.Runner;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class SandboxGrainTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private static IssueCommand Command(CommandKind kind, string actor = "maintainer", CommandSource source = CommandSource.Label, string? delivery = null) =>
        new(kind, source, actor, delivery ?? $"delivery-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."));

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private Task<IssueSnapshot> SnapshotAsync(IssueKey issue) => Grain(issue).GetSnapshotAsync();

    private async Task<(IssueSnapshot Snapshot, FakeSandbox Sandbox)> StartRunAsync(IssueKey issue)
    {
        // One tick queues the run, provisions its sandbox, starts the runner and posts the status comment.
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run)));
        var running = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, running.State);
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("working on this issue", StringComparison.Ordinal));
        return (running, fixture.Sandboxes.ForRun(running.RunId!)!);
    }

    /// <summary>The run ended at this tick: its last transition is stamped with the clock's time now.</summary>
    private void AssertEndedNow(IssueSnapshot snapshot, RunState ending)
    {
        Assert.Equal(ending, snapshot.State);
        Assert.Equal(fixture.Clock.GetUtcNow(), snapshot.History[^1].Transitions[^1].At);
    }

    [Fact]
    public async Task Submit_Run_ProvisionsLabelledSandboxAndStartsRunner()
    {
        var issue = fixture.NextIssue();

        var (snapshot, sandbox) = await StartRunAsync(issue);

        Assert.Equal(sandbox.Id, snapshot.SandboxId);
        Assert.Equal($"agent/issue-{issue.Number}-{snapshot.RunId![..8]}", snapshot.Branch);
        Assert.Equal(issue.ToString(), sandbox.Labels[SandboxLabels.Issue]);
        Assert.Equal(snapshot.RunId, sandbox.Labels[SandboxLabels.Run]);
        Assert.Equal("grain-tests", sandbox.Labels[SandboxLabels.Instance]);
        Assert.Equal(snapshot.Branch, sandbox.Spec.Environment[RunnerEnvironment.Branch]);
        Assert.Equal("1", sandbox.Spec.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"]);
        Assert.Equal(("main", FakeRepositoryMirror.BaseCommit),
            (sandbox.Spec.Environment[RunnerEnvironment.BaseBranch], sandbox.Spec.Environment[RunnerEnvironment.BaseCommit]));
        Assert.Equal($"base bundle of {issue} for {snapshot.RunId}", sandbox.ReadFile(RunnerFiles.BaseBundle));
        Assert.Contains("README says 'teh'.", sandbox.ReadFile(RunnerFiles.Task));
        Assert.NotNull(sandbox.ReadFile(RunnerFiles.Script));
        Assert.Single(sandbox.Commands);
        var transitions = snapshot.History[^1].Transitions;
        Assert.Equal([RunState.Queued, RunState.Provisioning, RunState.Running], transitions.Select(t => t.State));
        Assert.All(transitions, t => Assert.Equal(fixture.Clock.GetUtcNow(), t.At));
        Assert.Equal([SandboxCallKind.Create, SandboxCallKind.StartCommand],
            fixture.Sandboxes.Calls.Where(c => c.Issue == issue.ToString() || c.SandboxId == sandbox.Id).Select(c => c.Kind));
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("working on this issue", comment.Body);
    }

    [Fact]
    public async Task SandboxReachesALimit_EndsFailedWithTheReason_AndDeletesTheSandbox()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        // A limit comes with the command's status, which is read at the fallback pace while the runner is followed.
        sandbox.LimitExceeded = "The sandbox reached its limit of 512 processes (a fork bomb, or a build that needs more).";
        await fixture.ReachFallbackPollAsync(issue);

        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.Failed);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.Equal(sandbox.LimitExceeded, done.Error);
        Assert.True(sandbox.Deleted);
        Assert.DoesNotContain(fixture.Mirror.Published, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("limit of 512 processes", comment.Body);
    }

    [Fact]
    public async Task SandboxNetworkRefusesHosts_RunRecordsEachOnce()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.BlockedHosts.Enqueue("evil.example.com");
        sandbox.BlockedHosts.Enqueue("127.0.0.1:6379");
        await fixture.ReachFallbackPollAsync(issue);
        Assert.Equal(["evil.example.com", "127.0.0.1:6379"], (await SnapshotAsync(issue)).History[^1].BlockedHosts);

        // The sandbox keeps reporting both hosts; the run must not record them again.
        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.NoChanges(running.Branch!));

        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.NoChanges);
        Assert.Equal(["evil.example.com", "127.0.0.1:6379"], done.History[^1].BlockedHosts);
    }

    [Fact]
    public async Task MirrorRefusesTheChanges_EndsFailedWithTheReason_WithoutPullRequest()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        fixture.Mirror.RefuseWith = "its branch does not descend from the run's base commit";
        try
        {
            await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));

            var done = await SnapshotAsync(issue);
            AssertEndedNow(done, RunState.Failed);
            Assert.True(done.History[^1].SandboxDeleted);
            Assert.Equal("The agent's changes were refused: its branch does not descend from the run's base commit.", done.Error);
            Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        }
        finally
        {
            fixture.Mirror.RefuseWith = null;
        }
    }

    [Fact]
    public async Task RunnerReportsCommitsWithoutBundle_EndsFailed_WithoutPullRequest()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.Files[RunnerFiles.Result] = System.Text.Encoding.UTF8.GetBytes(RunnerResults.Committed(running.Branch!));
        await fixture.FinishRunnerAsync(issue, sandbox, resultJson: null);

        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.Failed);
        Assert.Equal("The runner reported commits but left no bundle of them.", done.Error);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task RunnerCommitted_OpensOneDraftPullRequest_DeletesSandbox_FinalisesComment()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));

        // One tick publishes, opens the pull request, ends the run, tells the issue and deletes the sandbox.
        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.Succeeded);
        Assert.True(done.History[^1].SandboxDeleted);
        var published = Assert.Single(fixture.Mirror.Published, p => p.Issue == issue);
        Assert.Equal((running.RunId, running.Branch, FakeRepositoryMirror.BaseCommit, $"bundle of {sandbox.Id}"),
            (published.Change.RunId, published.Change.Branch, published.Change.BaseCommit, published.Bundle));
        Assert.Equal(done.History[^1].Transitions.Single(t => t.State == RunState.Publishing).At, published.Change.Date);
        Assert.Contains(running.RunId!, fixture.Mirror.Forgotten);
        var pullRequest = Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue);
        Assert.True(pullRequest.Spec.Draft);
        Assert.Equal(running.Branch, pullRequest.Spec.Head);
        Assert.Equal("main", pullRequest.Spec.Base);
        Assert.Contains($"Closes #{issue.Number}", pullRequest.Spec.Body);
        Assert.Contains("Fixed the typo", pullRequest.Spec.Body);
        Assert.Contains("$0.1234", pullRequest.Spec.Body);
        Assert.Equal(pullRequest.Ref.Url, done.PullRequestUrl);
        Assert.True(sandbox.Deleted);
        Assert.Equal(1, fixture.Sandboxes.DeletesOf(sandbox.Id));
        Assert.Equal(0.1234m, done.History[^1].CostUsd);
        Assert.Equal(7, done.History[^1].Turns);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains(pullRequest.Ref.Url, comment.Body);
        Assert.Contains("Done", comment.Body);
    }

    [Fact]
    public async Task RunnerWithoutCommits_EndsNoChanges_WithoutPullRequest()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.NoChanges(running.Branch!));

        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.NoChanges);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("without changes", comment.Body);
    }

    /// <summary>A limit the agent reached keeps its commits (RunOutcomeTests); an error it reports does not.</summary>
    [Fact]
    public async Task AgentReportsError_EvenWithCommits_EndsFailedWithReason()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!, "rate limited", isError: true, "success"));

        var failed = await SnapshotAsync(issue);
        AssertEndedNow(failed, RunState.Failed);
        Assert.True(failed.History[^1].SandboxDeleted);
        Assert.Contains("reported an error", failed.Error);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains(failed.Error!, comment.Body);
    }

    [Fact]
    public async Task AgentExitsNonZero_EndsFailed()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.AgentExited(running.Branch!, 3));

        var failed = await SnapshotAsync(issue);
        AssertEndedNow(failed, RunState.Failed);
        Assert.Contains("exited with code 3", failed.Error);
    }

    [Fact]
    public async Task RunnerLeavesNoResult_EndsFailed()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        await fixture.FinishRunnerAsync(issue, sandbox, resultJson: null, exitCode: 2);

        var failed = await SnapshotAsync(issue);
        AssertEndedNow(failed, RunState.Failed);
        Assert.Contains("without a result", failed.Error);
    }

    [Fact]
    public async Task SecondRunCommand_WhileActive_IsRefusedByTheGrain()
    {
        var issue = fixture.NextIssue();
        var (running, _) = await StartRunAsync(issue);

        foreach (var kind in new[] { CommandKind.Run, CommandKind.Retry })
        {
            // The grain answers at once; nothing is recorded, so no tick follows.
            Assert.Equal(SubmitOutcome.RunAlreadyActive, (await Grain(issue).SubmitAsync(Command(kind, source: CommandSource.Comment))).Outcome);

            var snapshot = await SnapshotAsync(issue);
            Assert.Equal(0, snapshot.PendingCommands);
            Assert.Equal((RunState.Running, running.RunId), (snapshot.State, snapshot.RunId));
            Assert.Single(snapshot.History);
        }

        Assert.Equal(1, fixture.Sandboxes.CreatesFor(issue));
    }

    [Fact]
    public async Task SameDelivery_Twice_IsAcknowledgedAndDropped()
    {
        var issue = fixture.NextIssue();

        // Only the first submission arms a tick: a dropped delivery causes none.
        var tick = fixture.Ticks.NextAsync(issue);
        Assert.Equal(SubmitOutcome.Accepted, (await Grain(issue).SubmitAsync(Command(CommandKind.Run, delivery: $"same-{issue.Number}"))).Outcome);
        Assert.Equal(SubmitOutcome.DuplicateDelivery, (await Grain(issue).SubmitAsync(Command(CommandKind.Run, delivery: $"same-{issue.Number}"))).Outcome);
        await tick;

        var running = await SnapshotAsync(issue);
        Assert.Equal((RunState.Running, 0), (running.State, running.PendingCommands));
        Assert.Single(running.History);
        Assert.Equal(1, fixture.Sandboxes.CreatesFor(issue));
    }

    [Fact]
    public async Task Deadline_Passes_AgentAskedToStop_EndsTimedOutAfterTheGrace_AndDeletesSandbox()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);
        var deadline = fixture.Clock.GetUtcNow() + GrainClusterFixture.AgentTimeout;
        var wrapUp = new AgentOptions().WrapUpGrace + TimeSpan.FromMinutes(1); // the grace, then the runner's time to commit

        // The jump wakes the poll timer and the watchdog; the first asks the agent to stop, and the run goes on.
        await fixture.AdvanceAsync(issue, GrainClusterFixture.AgentTimeout, ticks: 2);
        Assert.Equal(RunState.Running, (await SnapshotAsync(issue)).State);
        Assert.NotNull(sandbox.ReadFile(RunnerFiles.StopRequest));

        // The first tick after the grace ends the run and settles it, which unregisters the watchdog, so whether the
        // watchdog's own tick still comes is a race; that tick would find nothing to do.
        await fixture.AdvanceAsync(issue, wrapUp);

        var timedOut = await SnapshotAsync(issue);
        AssertEndedNow(timedOut, RunState.TimedOut);
        Assert.Equal(deadline + wrapUp, timedOut.History[^1].Transitions[^1].At);
        Assert.True(timedOut.History[^1].SandboxDeleted);
        Assert.True(sandbox.Deleted);
        Assert.Contains("time limit", timedOut.Error);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("Timed out", comment.Body);
    }

    [Fact]
    public async Task Cancel_WhileRunning_EndsCancelled_DeletesSandbox_SaysWho()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Cancel, actor: "lead", source: CommandSource.Comment));

        var cancelled = await SnapshotAsync(issue);
        AssertEndedNow(cancelled, RunState.Cancelled);
        Assert.True(cancelled.History[^1].SandboxDeleted);
        Assert.True(sandbox.Deleted);
        Assert.Contains("@lead", cancelled.Error);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        // The run's error is rendered as untrusted text: who cancelled is named, without a notifying mention.
        Assert.Contains("Cancelled", comment.Body);
        Assert.Contains("@&#8203;lead", comment.Body);
    }

    [Fact]
    public async Task Cancel_WhenIdle_ChangesNothing()
    {
        var issue = fixture.NextIssue();

        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Cancel, source: CommandSource.IssueClosed));

        var snapshot = await SnapshotAsync(issue);
        Assert.Equal(0, snapshot.PendingCommands);
        Assert.Equal(RunState.Idle, snapshot.State);
        Assert.Empty(snapshot.History);
    }

    [Fact]
    public async Task FailedDelete_IsRetriedUntilTheSandboxIsGone()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);
        fixture.Sandboxes.FailNextDeletes(sandbox.Id, 2);

        // The cancel's tick makes the first delete, which fails.
        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Cancel, source: CommandSource.Comment));
        var cancelled = await SnapshotAsync(issue);
        AssertEndedNow(cancelled, RunState.Cancelled);
        Assert.Equal(1, fixture.Sandboxes.DeletesOf(sandbox.Id));
        Assert.False(cancelled.History[^1].SandboxDeleted);
        Assert.False(sandbox.Deleted);

        // Each poll tries again: the second delete fails too, the third takes the sandbox away.
        await fixture.PollAsync(issue);
        Assert.Equal(2, fixture.Sandboxes.DeletesOf(sandbox.Id));
        Assert.False((await SnapshotAsync(issue)).History[^1].SandboxDeleted);

        await fixture.PollAsync(issue);
        Assert.True((await SnapshotAsync(issue)).History[^1].SandboxDeleted);
        Assert.True(sandbox.Deleted);
        Assert.Equal(3, fixture.Sandboxes.DeletesOf(sandbox.Id));
    }

    [Fact]
    public async Task SenderWithReadPermission_StartsNothing()
    {
        var issue = fixture.NextIssue();
        fixture.GitHub.Permissions["reader"] = "read";

        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run, actor: "reader"));

        var snapshot = await SnapshotAsync(issue);
        Assert.Equal(0, snapshot.PendingCommands);
        Assert.Empty(snapshot.History);
        Assert.Empty(fixture.GitHub.CommentsOn(issue));
    }

    [Fact]
    public async Task PermissionLookupFails_StartsNothing()
    {
        var issue = fixture.NextIssue();
        fixture.GitHub.FailPermissionLookups = true;
        try
        {
            // The submit's tick makes the first lookup. Each later lookup waits 10 s, doubled each time, plus up to a
            // quarter: 12.5 s, 25 s and 50 s at most, then 100 s before the denial. Each advance of a minute lands on
            // the watchdog's beat (it was registered at the submit), so it wakes the poll timer and the watchdog: two
            // ticks. Lookups 2, 3 and 4 come at one, two and three minutes; the fourth minute is still within the last
            // wait; the fifth denies the command.
            await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run, actor: $"someone-{issue.Number}"));
            for (var minute = 1; minute <= 4; minute++)
            {
                await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod, ticks: 2);
                Assert.Equal(1, (await SnapshotAsync(issue)).PendingCommands);
            }

            // The denial settles the issue and unregisters the watchdog: only its first tick is sure to come.
            await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod);

            var snapshot = await SnapshotAsync(issue);
            Assert.Equal(0, snapshot.PendingCommands);
            Assert.Empty(snapshot.History);
            Assert.Contains(fixture.GitHub.OtherReactions, r => r.Issue == issue && r.Reaction == SandboxAgents.GitHub.GitHubReaction.Confused);
        }
        finally
        {
            fixture.GitHub.FailPermissionLookups = false;
        }
    }

    [Fact]
    public async Task Watchdog_ReactivatesDeactivatedGrain_AndCarriesTheRunToItsEnd()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        await fixture.Cluster.DeactivateAsync(Grain(issue));

        // No timer is left: only the watchdog, a period after the submit, brings the grain back. Its tick publishes and
        // cleans up. The activation also arms a timer due at once, but the watchdog's tick, the call that activated the
        // grain, runs first and re-arms that timer, which drops the tick it had queued.
        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod);

        var done = await SnapshotAsync(issue);
        AssertEndedNow(done, RunState.Succeeded);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.True(sandbox.Deleted);
        Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task CancelledRun_ThenRetry_StartsANewRun()
    {
        var issue = fixture.NextIssue();
        var (first, _) = await StartRunAsync(issue);
        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Cancel, source: CommandSource.Comment));
        Assert.Equal(RunState.Cancelled, (await SnapshotAsync(issue)).State);

        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Retry, source: CommandSource.Comment));

        var second = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, second.State);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal([RunState.Cancelled, RunState.Running], second.History.Select(r => r.State));
        Assert.NotEqual(first.Branch, second.Branch);
        Assert.Equal(2, fixture.Sandboxes.CreatesFor(issue));
    }

    [Fact]
    public async Task NoSandboxCapacity_RunWaitsQueued_SaysSo_ThenStarts()
    {
        var issue = fixture.NextIssue();
        fixture.Sandboxes.NoCapacityForNextCreates(issue, 1);

        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run));

        var waiting = await SnapshotAsync(issue);
        var refusedAt = fixture.Clock.GetUtcNow();
        Assert.Equal(RunState.Queued, waiting.State);
        Assert.Equal([RunState.Queued, RunState.Provisioning, RunState.Queued], waiting.History[^1].Transitions.Select(t => t.State));
        Assert.Equal(refusedAt, waiting.History[^1].Transitions[^1].At);
        Assert.Contains("capacity", waiting.History[^1].Transitions[^1].Note);
        Assert.Null(waiting.SandboxId);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("Waiting for sandbox capacity", comment.Body);

        // The next poll is before the retry: the run stays in the queue and asks for no sandbox.
        await fixture.PollAsync(issue);
        Assert.Equal(RunState.Queued, (await SnapshotAsync(issue)).State);
        Assert.Equal(1, fixture.Sandboxes.CreatesFor(issue));

        // The retry is due a minute after the refusal, on the watchdog's beat: the poll timer and the watchdog both
        // tick, and the first of them starts the run.
        var retryInterval = new RunOptions().CapacityRetryInterval;
        await fixture.AdvanceAsync(issue, retryInterval - GrainClusterFixture.PollInterval, ticks: 2);

        var running = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(refusedAt + retryInterval, running.History[^1].Transitions.Last(t => t.State == RunState.Provisioning).At);
        Assert.NotNull(running.SandboxId);
        Assert.Equal(2, fixture.Sandboxes.CreatesFor(issue));
    }

    [Fact]
    public async Task SandboxCreateKeepsFailing_RunFails_AfterBoundedAttempts()
    {
        var issue = fixture.NextIssue();
        fixture.Sandboxes.FailNextCreates(issue, 5);

        // The submit's tick makes the first create; each poll makes one more, and the fifth failure fails the run.
        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run));
        for (var creates = 2; creates <= 4; creates++)
        {
            await fixture.PollAsync(issue);
            Assert.Equal(RunState.Provisioning, (await SnapshotAsync(issue)).State);
            Assert.Equal(creates, fixture.Sandboxes.CreatesFor(issue));
        }

        await fixture.PollAsync(issue);

        var failed = await SnapshotAsync(issue);
        AssertEndedNow(failed, RunState.Failed);
        Assert.Equal(5, fixture.Sandboxes.CreatesFor(issue));
        Assert.Contains("injected create failure", failed.Error);
    }

    [Fact]
    public async Task PermittedCommands_AreAcknowledgedWithEyes_OnTheCommentOrTheIssue()
    {
        var issue = fixture.NextIssue();

        await StartRunAsync(issue);
        await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Cancel, source: CommandSource.Comment) with { CommentId = 4242 });
        Assert.Equal(RunState.Cancelled, (await SnapshotAsync(issue)).State);

        var reactions = fixture.GitHub.Reactions.Where(r => r.Issue == issue).Select(r => r.CommentId).ToList();
        Assert.Equal([null, 4242L], reactions);
    }

    [Fact]
    public async Task RunningAgent_CommentShowsWhatItDoes_RefreshedNoMoreThanOncePerInterval()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        var commentedAt = running.History[^1].Transitions[^1].At;
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        var editsBefore = comment.Bodies.Count;
        var command = Assert.Single(sandbox.Commands.Values);
        var refreshInterval = new RunOptions().CommentRefreshInterval;

        command.Output.Add("agent: reading the README");
        await fixture.PollAsync(issue);
        Assert.Single((await SnapshotAsync(issue)).LogTail);
        Assert.Equal(editsBefore, comment.Bodies.Count);

        // A second before the refresh interval is over, the comment is left as it is.
        await fixture.AdvanceAsync(issue, refreshInterval - GrainClusterFixture.PollInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(editsBefore, comment.Bodies.Count);
        Assert.DoesNotContain("reading the README", comment.Body);

        // The interval is over on the watchdog's beat (the watchdog was registered with the run), while the poll timer
        // is due 4 s later: the watchdog's tick alone edits the comment.
        await fixture.AdvanceAsync(issue, TimeSpan.FromSeconds(1));
        Assert.Equal(commentedAt + refreshInterval, fixture.Clock.GetUtcNow());
        Assert.Equal(editsBefore + 1, comment.Bodies.Count);
        Assert.Contains("Now: `agent: reading the README`", comment.Body);

        // The next poll finds the same activity: no second edit.
        await fixture.PollAsync(issue);
        Assert.Equal(editsBefore + 1, comment.Bodies.Count);
    }
}
