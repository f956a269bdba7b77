using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SandboxAgents.Runner;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>A run's follow-up work (registry, comment, sandbox, queue slot), its settings, and the state it is kept in.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RunEffectsTests(GrainClusterFixture fixture)
{
    private static IssueCommand Run() => new(CommandKind.Run, CommandSource.Label, "maintainer", $"effects-{Guid.NewGuid():N}", new IssueText("Fix the typo", "README says 'teh'."));

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private int IssueStateWrites(IssueKey issue) => fixture.Storage.WritesOf(StorageNames.IssueState, Grain(issue).GetGrainId());

    private T SiloService<T>() where T : notnull => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<T>();

    [Fact]
    public async Task FirstTick_TakesTheRunToRunning_WritingTheIssueStateAtMostFourTimes()
    {
        var issue = fixture.NextIssue();

        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Run()));

        Assert.Equal(RunState.Running, (await Grain(issue).GetSnapshotAsync()).State);
        Assert.Single(fixture.GitHub.CommentsOn(issue));
        // The transitions to Provisioning and Running, the sandbox's id, and the tick's closing write.
        Assert.InRange(IssueStateWrites(issue), 1, 4);
    }

    [Fact]
    public async Task RunList_NeverSaysAnEarlierStateThanTheDetail_EvenWhileTheSandboxIsSlowToDelete()
    {
        var issue = fixture.NextIssue();
        await fixture.SubmitAndTickAsync(issue, Run());
        var sandbox = fixture.Sandboxes.ForRun((await Grain(issue).GetSnapshotAsync()).RunId!)!;
        var deletion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sandbox.DeleteHeldUntil = deletion.Task;

        var tick = fixture.Ticks.NextAsync(issue);
        await Grain(issue).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.Api, "operator", null, null));
        await sandbox.DeleteRequested.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var detail = await Grain(issue).GetSnapshotAsync();
        var listed = (await fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: issue.RepositoryFullName, PageSize: 200)))
            .Items.Single(e => e.Key == issue.ToString());
        Assert.Equal(RunState.Cancelled, detail.State);
        Assert.False(detail.History[^1].SandboxDeleted);
        Assert.Equal((detail.RunId, RunState.Cancelled), (listed.RunId, listed.State));

        deletion.SetResult();
        await tick;
        Assert.True((await Grain(issue).GetSnapshotAsync()).History[^1].SandboxDeleted);
    }

    [Fact]
    public async Task Run_GoesByTheSettingsItWasQueuedWith_NotTodaysOptions()
    {
        var issue = fixture.NextIssue();
        var queued = new RunRecord
        {
            RunId = "5e77ed5e77ed0001",
            State = RunState.Queued,
            RequestedBy = "maintainer",
            Issue = new IssueText("Fix the typo", "README says 'teh'."),
            Branch = $"agent/issue-{issue.Number}-5e77ed5e",
            SandboxName = $"sa-octo-widgets-{issue.Number}-5e77ed5e",
            Transitions = [new StateChange(RunState.Queued, fixture.Clock.GetUtcNow(), "Run by @maintainer")],
            Version = 1,
            StoredSettings = new RunSettings("echo the-command-of-its-day", TimeSpan.FromMinutes(7), DraftPullRequest: false, MaxStepFailures: 5, LogTailLines: 20),
        };
        var stored = SiloService<IGrainStorageSerializer>().Serialize(new IssueState { Runs = [queued] }).ToArray();
        fixture.Storage.Seed(StorageNames.IssueState, Grain(issue).GetGrainId(), stored);

        // Activation finds the unsettled run and ticks at once, as after a restart.
        var tick = fixture.Ticks.NextAsync(issue);
        await Grain(issue).GetSnapshotAsync();
        await tick;
        var sandbox = fixture.Sandboxes.ForRun(queued.RunId)!;
        Assert.Equal("echo the-command-of-its-day", sandbox.Spec.Environment[RunnerEnvironment.AgentCommand]);

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(queued.Branch));
        Assert.Equal(RunState.Succeeded, (await Grain(issue).GetSnapshotAsync()).State);
        Assert.False(Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue).Spec.Draft);
    }

    [Fact]
    public async Task RunLeftRunning_TimesOutAtItsOwnLimit()
    {
        var issue = fixture.NextIssue();
        await fixture.SubmitAndTickAsync(issue, Run());
        var grace = new AgentOptions().WrapUpGrace;

        fixture.Clock.Advance(GrainClusterFixture.AgentTimeout - GrainClusterFixture.PollInterval);
        await fixture.PollAsync(issue);
        Assert.Equal(RunState.Running, (await Grain(issue).GetSnapshotAsync()).State); // asked to wrap up
        await fixture.AdvanceAsync(issue, grace + TimeSpan.FromMinutes(1));

        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.TimedOut, done.State);
        Assert.Equal($"Stopped at the time limit of {GrainClusterFixture.AgentTimeout}: the agent had not finished {grace} after it was asked to wrap up.", done.Error);
    }

    [Fact]
    public void StateStoredBeforeRunEffects_IsReadIntoTheNewShape()
    {
        var json = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Runs", "StoredStates", "issue-state-before-run-effects.json"));

        var state = SiloService<IGrainStorageSerializer>().Deserialize<IssueState>(new BinaryData(json))!;

        var effects = SiloService<RunEffects>();
        Assert.Equal(3, state.Runs.Count);
        var (settled, stale, running) = (state.Runs[0], state.Runs[1], state.Runs[2]);
        Assert.Equal((9001L, 5, false), (settled.Comment.Id, settled.Comment.ShownVersion, settled.Comment.Stale));
        Assert.True(effects.IsSettled(state, settled));

        Assert.Equal((9002L, 2, 40, true), (stale.Comment.Id, stale.Comment.ShownVersion, stale.Comment.Failures, stale.Comment.Stale));
        Assert.False(effects.IsSettled(state, stale)); // its sandbox is still to be deleted
        Assert.True(stale.ToSummary().CommentStale);

        Assert.Equal((9003L, 3, 2), (running.Comment.Id, running.Comment.ShownVersion, running.Comment.Failures));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 14, 2, 10, TimeSpan.Zero), running.Comment.RetryAt);
        Assert.Equal("agent: reading README.md", running.Comment.WrittenActivity);
        Assert.Equal((true, (int?)null), (running.Queue.HoldsSlot, running.Queue.Position));
        Assert.Null(running.StoredSettings); // filled in when the grain loads it
        Assert.False(effects.IsSettled(state, running));
        Assert.Equal(3, state.LastCommand);
    }
}
