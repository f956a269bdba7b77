using SandboxAgents.Runner;
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

    private Task<IssueSnapshot> WaitForAsync(IssueKey issue, Func<IssueSnapshot, bool> condition, string what) =>
        Eventually.MatchesAsync(() => Grain(issue).GetSnapshotAsync(), condition, $"{issue}: {what}");

    private async Task<(IssueSnapshot Snapshot, FakeSandbox Sandbox)> StartRunAsync(IssueKey issue)
    {
        // One tick queues the run, provisions its sandbox, starts the runner and posts the status comment.
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Command(CommandKind.Run)));
        var running = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("working on this issue", StringComparison.Ordinal));
        return (running, fixture.Sandboxes.ForRun(running.RunId!)!);
    }

    /// <summary>Moves the fake clock one poll interval, so the grain timer looks at the run again.</summary>
    private void Poll() => fixture.Clock.Advance(GrainClusterFixture.PollInterval);

    /// <summary>
    /// Moves the fake clock a poll interval at a time until the condition holds. A grain timer schedules its next tick
    /// when the current one ends, so a single advance made while a tick is still running would be missed.
    /// </summary>
    private async Task PollUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var polls = 0; polls < 100; polls++)
        {
            if (await condition()) return;
            Poll();
            await Task.Yield();
            await Task.Delay(5);
        }

        throw new TimeoutException($"Still not {what} after 100 poll intervals.");
    }

    private async Task<IssueSnapshot> PollUntilAsync(IssueKey issue, Func<IssueSnapshot, bool> condition, string what)
    {
        await PollUntilAsync(async () => condition(await Grain(issue).GetSnapshotAsync()), what);
        return await Grain(issue).GetSnapshotAsync();
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
        Assert.Equal(("main", FakeRepositoryMirror.BaseCommit),
            (sandbox.Spec.Environment[RunnerEnvironment.BaseBranch], sandbox.Spec.Environment[RunnerEnvironment.BaseCommit]));
        Assert.Equal($"base bundle of {issue} for {snapshot.RunId}", sandbox.ReadFile(RunnerFiles.BaseBundle));
        Assert.Contains("README says 'teh'.", sandbox.ReadFile(RunnerFiles.Task));
        Assert.NotNull(sandbox.ReadFile(RunnerFiles.Script));
        Assert.Single(sandbox.Commands);
        Assert.Equal([RunState.Queued, RunState.Provisioning, RunState.Running], snapshot.History[^1].Transitions.Select(t => t.State));
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        Assert.Contains("working on this issue", comment.Body);
    }

    [Fact]
    public async Task SandboxReachesALimit_EndsFailedWithTheReason_AndDeletesTheSandbox()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        sandbox.LimitExceeded = "The sandbox reached its limit of 512 processes (a fork bomb, or a build that needs more).";
        var done = await PollUntilAsync(issue, s => s.State == RunState.Failed && s.History[^1].SandboxDeleted, "Failed and cleaned up");

        Assert.Equal(sandbox.LimitExceeded, done.Error);
        Assert.True(sandbox.Deleted);
        Assert.DoesNotContain(fixture.Mirror.Published, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        await Eventually.TrueAsync(() => comment.Body.Contains("limit of 512 processes", StringComparison.Ordinal), "the reason on the issue");
    }

    [Fact]
    public async Task SandboxNetworkRefusesHosts_RunRecordsEachOnce()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.BlockedHosts.Enqueue("evil.example.com");
        sandbox.BlockedHosts.Enqueue("127.0.0.1:6379");
        Poll();
        await WaitForAsync(issue, s => s.History[^1].BlockedHosts?.Count == 2, "both hosts recorded");
        sandbox.FinishRunner(RunnerResults.NoChanges(running.Branch!));
        var done = await PollUntilAsync(issue, s => s.State == RunState.NoChanges, "NoChanges");

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
            sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
            var done = await PollUntilAsync(issue, s => s.State == RunState.Failed && s.History[^1].SandboxDeleted, "Failed and cleaned up");

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

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        sandbox.Files.TryRemove(RunnerFiles.ChangesBundle, out _);
        var done = await PollUntilAsync(issue, s => s.State == RunState.Failed, "Failed");

        Assert.Equal("The runner reported commits but left no bundle of them.", done.Error);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task RunnerCommitted_OpensOneDraftPullRequest_DeletesSandbox_FinalisesComment()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        await fixture.PollAsync(issue);

        // One tick publishes, opens the pull request, ends the run, tells the issue and deletes the sandbox.
        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.Equal(fixture.Clock.GetUtcNow(), done.History[^1].Transitions[^1].At);
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

        sandbox.FinishRunner(RunnerResults.NoChanges(running.Branch!));
        await PollUntilAsync(issue, s => s.State == RunState.NoChanges && s.History[^1].SandboxDeleted, "NoChanges");

        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        await Eventually.TrueAsync(() => comment.Body.Contains("without changes", StringComparison.Ordinal), "final comment");
    }

    [Theory]
    [InlineData(true, "success")]
    [InlineData(false, "error_max_turns")]
    public async Task AgentReportsError_EvenWithCommits_EndsFailedWithReason(bool isError, string subtype)
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!, "rate limited", isError, subtype));
        var failed = await PollUntilAsync(issue, s => s.State == RunState.Failed && s.History[^1].SandboxDeleted, "Failed");

        Assert.Contains(isError ? "reported an error" : subtype, failed.Error);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        await Eventually.TrueAsync(() => comment.Body.Contains(failed.Error!, StringComparison.Ordinal), "reason on the issue");
    }

    [Fact]
    public async Task AgentExitsNonZero_EndsFailed()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);

        sandbox.FinishRunner(RunnerResults.AgentExited(running.Branch!, 3));
        var failed = await PollUntilAsync(issue, s => s.State == RunState.Failed, "Failed");

        Assert.Contains("exited with code 3", failed.Error);
    }

    [Fact]
    public async Task RunnerLeavesNoResult_EndsFailed()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        sandbox.FinishRunner(resultJson: null, exitCode: 2);
        var failed = await PollUntilAsync(issue, s => s.State == RunState.Failed, "Failed");

        Assert.Contains("without a result", failed.Error);
    }

    [Fact]
    public async Task SecondRunCommand_WhileActive_IsRefusedByTheGrain()
    {
        var issue = fixture.NextIssue();
        var (running, _) = await StartRunAsync(issue);

        Assert.Equal(SubmitOutcome.RunAlreadyActive, (await Grain(issue).SubmitAsync(Command(CommandKind.Run, source: CommandSource.Comment))).Outcome);
        Assert.Equal(SubmitOutcome.RunAlreadyActive, (await Grain(issue).SubmitAsync(Command(CommandKind.Retry, source: CommandSource.Comment))).Outcome);
        var snapshot = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(0, snapshot.PendingCommands);

        Assert.Equal(running.RunId, snapshot.RunId);
        Assert.Single(snapshot.History);
        Assert.Single(fixture.Sandboxes.Calls, c => c.StartsWith("create", StringComparison.Ordinal) && c.Contains($"-{issue.Number}-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SameDelivery_Twice_IsAcknowledgedAndDropped()
    {
        var issue = fixture.NextIssue();

        Assert.Equal(SubmitOutcome.Accepted, (await Grain(issue).SubmitAsync(Command(CommandKind.Run, delivery: $"same-{issue.Number}"))).Outcome);
        Assert.Equal(SubmitOutcome.DuplicateDelivery, (await Grain(issue).SubmitAsync(Command(CommandKind.Run, delivery: $"same-{issue.Number}"))).Outcome);
        var running = await WaitForAsync(issue, s => s.State == RunState.Running, "Running");

        Assert.Single(running.History);
    }

    [Fact]
    public async Task Deadline_Passes_EndsTimedOut_AndDeletesSandbox()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        fixture.Clock.Advance(GrainClusterFixture.AgentTimeout);
        var timedOut = await PollUntilAsync(issue, s => s.State == RunState.TimedOut && s.History[^1].SandboxDeleted, "TimedOut");

        Assert.True(sandbox.Deleted);
        Assert.Contains("time limit", timedOut.Error);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        await Eventually.TrueAsync(() => comment.Body.Contains("Timed out", StringComparison.Ordinal), "final comment");
    }

    [Fact]
    public async Task Cancel_WhileRunning_EndsCancelled_DeletesSandbox_SaysWho()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);

        await Grain(issue).SubmitAsync(Command(CommandKind.Cancel, actor: "lead", source: CommandSource.Comment));
        var cancelled = await WaitForAsync(issue, s => s.State == RunState.Cancelled && s.History[^1].SandboxDeleted, "Cancelled");

        Assert.True(sandbox.Deleted);
        Assert.Contains("@lead", cancelled.Error);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        // The run's error is rendered as untrusted text: who cancelled is named, without a notifying mention.
        await Eventually.TrueAsync(() => comment.Body.Contains("Cancelled", StringComparison.Ordinal) && comment.Body.Contains("@&#8203;lead", StringComparison.Ordinal), "final comment");
    }

    [Fact]
    public async Task Cancel_WhenIdle_ChangesNothing()
    {
        var issue = fixture.NextIssue();

        await Grain(issue).SubmitAsync(Command(CommandKind.Cancel, source: CommandSource.IssueClosed));
        var snapshot = await WaitForAsync(issue, s => s.PendingCommands == 0, "command processed");

        Assert.Equal(RunState.Idle, snapshot.State);
        Assert.Empty(snapshot.History);
    }

    [Fact]
    public async Task FailedDelete_IsRetriedUntilTheSandboxIsGone()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartRunAsync(issue);
        fixture.Sandboxes.FailNextDeletes(2);

        int Deletes() => fixture.Sandboxes.Calls.Count(c => c == $"delete {sandbox.Id}");

        await Grain(issue).SubmitAsync(Command(CommandKind.Cancel, source: CommandSource.Comment));
        var cancelled = await WaitForAsync(issue, s => s.State == RunState.Cancelled, "Cancelled");
        await Eventually.TrueAsync(() => Deletes() == 1, "the first delete, at the cancel");
        Assert.False(cancelled.History[^1].SandboxDeleted);
        Assert.False(sandbox.Deleted);

        await PollUntilAsync(issue, s => s.History[^1].SandboxDeleted, "sandbox deleted on a later tick");
        Assert.True(sandbox.Deleted);
        Assert.Equal(3, Deletes());
    }

    [Fact]
    public async Task SenderWithReadPermission_StartsNothing()
    {
        var issue = fixture.NextIssue();
        fixture.GitHub.Permissions["reader"] = "read";

        await Grain(issue).SubmitAsync(Command(CommandKind.Run, actor: "reader"));
        var snapshot = await WaitForAsync(issue, s => s.PendingCommands == 0, "command processed");

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
            await Grain(issue).SubmitAsync(Command(CommandKind.Run, actor: $"someone-{issue.Number}"));
            var snapshot = await PollUntilAsync(issue, s => s.PendingCommands == 0, "command denied after its retries");
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

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        fixture.Clock.Advance(GrainClusterFixture.WatchdogPeriod);
        await Eventually.TrueAsync(() => sandbox.Deleted, "the reminder re-activated the grain, which published and cleaned up");

        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task CancelledRun_ThenRetry_StartsANewRun()
    {
        var issue = fixture.NextIssue();
        var (first, _) = await StartRunAsync(issue);
        await Grain(issue).SubmitAsync(Command(CommandKind.Cancel, source: CommandSource.Comment));
        await WaitForAsync(issue, s => s.State == RunState.Cancelled, "Cancelled");

        await Grain(issue).SubmitAsync(Command(CommandKind.Retry, source: CommandSource.Comment));
        var second = await WaitForAsync(issue, s => s.State == RunState.Running && s.RunId != first.RunId, "a second run");

        Assert.Equal(2, second.History.Count);
        Assert.NotEqual(first.Branch, second.Branch);
    }

    [Fact]
    public async Task NoSandboxCapacity_RunWaitsQueued_SaysSo_ThenStarts()
    {
        var issue = fixture.NextIssue();
        fixture.Sandboxes.NoCapacityForNextCreates(1);

        await Grain(issue).SubmitAsync(Command(CommandKind.Run));
        var waiting = await WaitForAsync(issue, s => s.State == RunState.Queued && s.History[^1].Transitions.Count == 3, "back in the queue");

        Assert.Contains("capacity", waiting.History[^1].Transitions[^1].Note);
        Assert.Null(waiting.SandboxId);
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        await Eventually.TrueAsync(() => comment.Body.Contains("Waiting for sandbox capacity", StringComparison.Ordinal), "the comment says why");

        var running = await PollUntilAsync(issue, s => s.State == RunState.Running, "started once capacity is back");
        Assert.True(fixture.Clock.GetUtcNow() >= waiting.History[^1].Transitions[^1].At + TimeSpan.FromMinutes(1));
        Assert.NotNull(running.SandboxId);
    }

    [Fact]
    public async Task SandboxCreateKeepsFailing_RunFails_AfterBoundedAttempts()
    {
        var issue = fixture.NextIssue();
        fixture.Sandboxes.FailNextCreates(5);

        await Grain(issue).SubmitAsync(Command(CommandKind.Run));
        var failed = await PollUntilAsync(issue, s => s.State == RunState.Failed, "Failed");
        Assert.Equal(5, fixture.Sandboxes.Calls.Count(c => c.StartsWith("create", StringComparison.Ordinal) && c.Contains($"-{issue.Number}-", StringComparison.Ordinal)));
        Assert.Contains("injected create failure", failed.Error);
    }

    [Fact]
    public async Task PermittedCommands_AreAcknowledgedWithEyes_OnTheCommentOrTheIssue()
    {
        var issue = fixture.NextIssue();

        await StartRunAsync(issue);
        await Grain(issue).SubmitAsync(Command(CommandKind.Cancel, source: CommandSource.Comment) with { CommentId = 4242 });
        await WaitForAsync(issue, s => s.State == RunState.Cancelled, "Cancelled");

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
        var command = Assert.Single(sandbox.Commands.Values);

        command.Output.Add("agent: reading the README");
        await PollUntilAsync(issue, s => s.LogTail.Count == 1, "the log tail read");
        var editsBefore = comment.Bodies.Count;
        Assert.DoesNotContain("reading the README", comment.Body);

        await PollUntilAsync(async () => { await Task.CompletedTask; return comment.Body.Contains("Now: `agent: reading the README`", StringComparison.Ordinal); }, "the activity shown");
        Assert.Equal(editsBefore + 1, comment.Bodies.Count);
        Assert.True(fixture.Clock.GetUtcNow() - commentedAt >= TimeSpan.FromMinutes(1), "not before the refresh interval");
    }
}
