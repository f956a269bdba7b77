namespace SandboxAgents.Tests.Grains;

[Collection(QueueClusterCollection.Name)]
public sealed class RunQueueTests(QueueClusterFixture fixture)
{
    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private static IssueCommand Command(IssueKey issue, CommandKind kind = CommandKind.Run) =>
        new(kind, CommandSource.Label, "maintainer", $"queue-{issue.Number}-{kind}-{Guid.NewGuid():N}", new IssueText("Queued work", ""));

    private IRunQueueGrain Queue => fixture.Grains.GetGrain<IRunQueueGrain>(0);

    private static string Ticket(IssueKey issue, IssueSnapshot snapshot) => $"{issue}/{snapshot.RunId}";

    [Fact]
    public async Task SecondRun_WaitsInLine_SaysWhere_ThenStartsWhenTheFirstEnds()
    {
        var (first, second) = (fixture.NextIssue(), fixture.NextIssue());
        await fixture.SubmitAndTickAsync(first, Command(first));
        var running = await Grain(first).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);

        // The second comes 2 s after the first, so their polls never fall on the same instant: each advance below wakes
        // one of them, and the first has given its slot back before the second asks again.
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await fixture.SubmitAndTickAsync(second, Command(second));
        var waiting = await Grain(second).GetSnapshotAsync();
        Assert.Equal(RunState.Queued, waiting.State);
        Assert.Contains(fixture.GitHub.CommentsOn(second), c => c.Body.Contains("number 1 in line", StringComparison.Ordinal));
        Assert.Null(fixture.Sandboxes.ForRun(waiting.RunId!));
        Assert.Equal([Ticket(second, waiting)], (await Queue.GetLineAsync()).Waiting);

        // The first's end is seen at once; the second takes the slot at its next poll.
        await fixture.FinishRunnerAsync(first, fixture.Sandboxes.ForRun(running.RunId!)!, RunnerResults.NoChanges(running.Branch!));
        Assert.Equal(RunState.NoChanges, (await Grain(first).GetSnapshotAsync()).State);
        Assert.Empty((await Queue.GetLineAsync()).Running);

        await fixture.PollAsync(second);

        var started = await Grain(second).GetSnapshotAsync();
        Assert.Equal(RunState.Running, started.State);
        Assert.Equal(fixture.Clock.GetUtcNow(), started.History[^1].Transitions.Single(t => t.State == RunState.Provisioning).At);
        var line = await Queue.GetLineAsync();
        Assert.Equal([Ticket(second, started)], line.Running);
        Assert.Empty(line.Waiting);

        await fixture.SubmitAndTickAsync(second, Command(second, CommandKind.Cancel));
        Assert.Empty((await Queue.GetLineAsync()).Running);
    }

    [Fact]
    public async Task CancellingAQueuedRun_TakesItOutOfLine()
    {
        var (holder, waiter) = (fixture.NextIssue(), fixture.NextIssue());
        await fixture.SubmitAndTickAsync(holder, Command(holder));
        Assert.Equal(RunState.Running, (await Grain(holder).GetSnapshotAsync()).State);
        await fixture.SubmitAndTickAsync(waiter, Command(waiter));
        Assert.Equal([Ticket(waiter, await Grain(waiter).GetSnapshotAsync())], (await Queue.GetLineAsync()).Waiting);

        await fixture.SubmitAndTickAsync(waiter, Command(waiter, CommandKind.Cancel));

        Assert.Empty((await Queue.GetLineAsync()).Waiting);
        Assert.Equal(RunState.Cancelled, (await Grain(waiter).GetSnapshotAsync()).State);
        await fixture.SubmitAndTickAsync(holder, Command(holder, CommandKind.Cancel));
        Assert.Empty((await Queue.GetLineAsync()).Running);
    }

    [Fact]
    public async Task TheLine_SurvivesTheQueueGrainsDeactivation()
    {
        var queue = fixture.Grains.GetGrain<IRunQueueGrain>(0);
        var ticket = await queue.AcquireAsync("someone/else#1", "r1");
        var waiting = await queue.AcquireAsync("someone/else#2", "r2");

        await fixture.Cluster.DeactivateAsync(queue);
        var line = await queue.GetLineAsync();

        Assert.True(ticket.Granted);
        Assert.Equal(new QueueTicket(false, 1), waiting);
        Assert.Equal(["someone/else#1/r1"], line.Running);
        Assert.Equal(["someone/else#2/r2"], line.Waiting);
        await queue.ReleaseAsync("someone/else#2", "r2");
        await queue.ReleaseAsync("someone/else#1", "r1");
    }
}
