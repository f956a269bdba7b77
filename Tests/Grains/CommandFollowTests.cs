using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Runs.Progress;

namespace SandboxAgents.Tests.Grains;

/// <summary>The grain follows its running runner: the end is seen at once, the output as it comes, and status reads are the slow fallback.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class CommandFollowTests(GrainClusterFixture fixture)
{
    /// <summary>A delete that never comes is a failed test, not a hung one.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static int _delivery;

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private async Task<(IssueKey Issue, FakeSandbox Sandbox, FakeCommand Runner)> StartRunAsync()
    {
        var issue = fixture.NextIssue();
        var command = new IssueCommand(CommandKind.Run, CommandSource.Label, "maintainer", $"follow-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."));
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, command));
        var running = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);
        var sandbox = fixture.Sandboxes.ForRun(running.RunId!)!;
        var runner = Assert.Single(sandbox.Commands.Values);
        Assert.Equal((1, 1), (runner.FollowsStarted, runner.Following));
        return (issue, sandbox, runner);
    }

    /// <summary>Ends the runner with the clock standing still and awaits the sandbox's deletion being asked for.</summary>
    private async Task FinishAndAwaitDeleteAsync(IssueKey issue, FakeSandbox sandbox)
    {
        var before = fixture.Clock.GetUtcNow();
        var branch = (await Grain(issue).GetSnapshotAsync()).Branch!;

        sandbox.FinishRunner(RunnerResults.NoChanges(branch));
        await sandbox.DeleteRequested.Task.WaitAsync(Bound);

        Assert.Equal(before, fixture.Clock.GetUtcNow());
        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.NoChanges, done.State);
        Assert.Equal(before, done.History[^1].Transitions.Single(t => t.State == RunState.Publishing).At);
    }

    [Fact]
    public async Task RunnerExits_SeenAtOnce_DeleteRequestedWithoutAPoll()
    {
        var (issue, sandbox, _) = await StartRunAsync();

        await FinishAndAwaitDeleteAsync(issue, sandbox);
    }

    [Fact]
    public async Task RunnerFollowed_TicksReadNoStatus_UntilTheFallbackInterval()
    {
        var (issue, _, runner) = await StartRunAsync();
        var reads = runner.StatusReads;

        for (var poll = 1; poll <= 3; poll++) await fixture.PollAsync(issue);
        Assert.Equal(reads, runner.StatusReads);

        // Five seconds short of the fallback interval, past the watchdog's first beat: its tick reads nothing either.
        await fixture.AdvanceAsync(issue, GrainClusterFixture.FallbackPollInterval - (4 * GrainClusterFixture.PollInterval), ticks: 2);
        Assert.Equal(reads, runner.StatusReads);

        await fixture.PollAsync(issue);
        Assert.Equal(reads + 1, runner.StatusReads);
        Assert.Equal(RunState.Running, (await Grain(issue).GetSnapshotAsync()).State);
    }

    [Fact]
    public async Task LinesPrinted_ShowInTailStepsAndComment_WithoutAStatusRead()
    {
        var (issue, _, runner) = await StartRunAsync();
        var reads = runner.StatusReads;
        var seenAt = fixture.Clock.GetUtcNow() + GrainClusterFixture.PollInterval;

        runner.Output.AddRange(["runner: cloned the repository", StreamJsonActivityTests.ToolUse("Bash", new { command = "npm test" }, id: "toolu_f1")]);
        await fixture.PollAsync(issue);

        var snapshot = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(["runner: cloned the repository", "Running `npm test`"], snapshot.LogTail);
        Assert.Equal([new AgentStep(seenAt, "Bash", "Running `npm test`", "toolu_f1")], snapshot.History[^1].Steps);

        // As in AgentProgressTests: the refresh interval ends on the watchdog's beat, whose tick edits the comment.
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));
        var refreshInterval = new RunOptions().CommentRefreshInterval;
        await fixture.AdvanceAsync(issue, refreshInterval - GrainClusterFixture.PollInterval - TimeSpan.FromSeconds(1));
        await fixture.AdvanceAsync(issue, TimeSpan.FromSeconds(1));
        Assert.Contains("Now: `Running 'npm test'`", comment.Body, StringComparison.Ordinal);
        Assert.Equal(reads, runner.StatusReads);
    }

    [Fact]
    public async Task FollowBreaks_StatusReadAtOnce_FollowedAgainAPollLater()
    {
        var (issue, sandbox, runner) = await StartRunAsync();
        var reads = runner.StatusReads;

        var woken = fixture.Ticks.NextAsync(issue);
        runner.BreakFollows();
        await woken;
        Assert.Equal((reads + 1, 1), (runner.StatusReads, runner.FollowsStarted));

        // Not restarted in the tick that saw it break: the next poll reads the status once more and follows again.
        await fixture.PollAsync(issue);
        Assert.Equal((reads + 2, 2, 1), (runner.StatusReads, runner.FollowsStarted, runner.Following));

        runner.Output.Add("agent: still at it");
        await fixture.PollAsync(issue);
        Assert.Equal("agent: still at it", (await Grain(issue).GetSnapshotAsync()).LogTail[^1]);
        Assert.Equal(reads + 2, runner.StatusReads);

        await FinishAndAwaitDeleteAsync(issue, sandbox);
    }

    [Fact]
    public async Task GrainReactivated_FollowsTheRunnerAnew()
    {
        var (issue, sandbox, runner) = await StartRunAsync();

        await fixture.Cluster.DeactivateAsync(Grain(issue));
        await Eventually.TrueAsync(() => runner.Following == 0, "the deactivated grain's follow to stop");

        var ticked = fixture.Ticks.NextAsync(issue);
        await Grain(issue).GetSnapshotAsync();
        await ticked;
        Assert.Equal((2, 1), (runner.FollowsStarted, runner.Following));

        await FinishAndAwaitDeleteAsync(issue, sandbox);
    }
}
