using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

[Collection(QueueClusterCollection.Name)]
public sealed class RunQueueTests(QueueClusterFixture fixture)
{
    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private async Task<SubmitOutcome> SubmitAsync(IssueKey issue, CommandKind kind = CommandKind.Run) => (await Grain(issue).SubmitAsync(
        new IssueCommand(kind, CommandSource.Label, "maintainer", $"queue-{issue.Number}-{kind}-{Guid.NewGuid():N}", new IssueText("Queued work", "")))).Outcome;

    private Task<IssueSnapshot> WaitForAsync(IssueKey issue, Func<IssueSnapshot, bool> condition, string what) =>
        Eventually.MatchesAsync(() => Grain(issue).GetSnapshotAsync(), condition, $"{issue}: {what}");

    private async Task PollUntilAsync(Func<Task<bool>> condition, string what)
    {
        for (var polls = 0; polls < 100; polls++)
        {
            if (await condition()) return;
            fixture.Clock.Advance(GrainClusterFixture.PollInterval);
            await Task.Delay(5);
        }

        throw new TimeoutException($"Still not {what} after 100 poll intervals.");
    }

    [Fact]
    public async Task SecondRun_WaitsInLine_SaysWhere_ThenStartsWhenTheFirstEnds()
    {
        var (first, second) = (fixture.NextIssue(), fixture.NextIssue());
        await SubmitAsync(first);
        var running = await WaitForAsync(first, s => s.State == RunState.Running, "first running");

        await SubmitAsync(second);
        await PollUntilAsync(async () => fixture.GitHub.CommentsOn(second).Any(c => c.Body.Contains("number 1 in line", StringComparison.Ordinal)), "the second told its place");
        Assert.Equal(RunState.Queued, (await Grain(second).GetSnapshotAsync()).State);
        Assert.Null(fixture.Sandboxes.ForRun((await Grain(second).GetSnapshotAsync()).RunId!));

        fixture.Sandboxes.ForRun(running.RunId!)!.FinishRunner(RunnerResults.NoChanges(running.Branch!));
        await PollUntilAsync(async () => (await Grain(second).GetSnapshotAsync()).State == RunState.Running, "the second started");

        Assert.Equal(RunState.NoChanges, (await Grain(first).GetSnapshotAsync()).State);
        var line = await fixture.Grains.GetGrain<IRunQueueGrain>(0).GetLineAsync();
        Assert.Equal([$"{second}/{(await Grain(second).GetSnapshotAsync()).RunId}"], line.Running);

        await SubmitAsync(second, CommandKind.Cancel);
        await PollUntilAsync(async () => (await fixture.Grains.GetGrain<IRunQueueGrain>(0).GetLineAsync()).Running.Count == 0, "the slot given back");
    }

    [Fact]
    public async Task CancellingAQueuedRun_TakesItOutOfLine()
    {
        var (holder, waiter) = (fixture.NextIssue(), fixture.NextIssue());
        await SubmitAsync(holder);
        await WaitForAsync(holder, s => s.State == RunState.Running, "holder running");
        await SubmitAsync(waiter);
        await PollUntilAsync(async () => (await fixture.Grains.GetGrain<IRunQueueGrain>(0).GetLineAsync()).Waiting.Count == 1, "the waiter in line");

        await SubmitAsync(waiter, CommandKind.Cancel);

        await PollUntilAsync(async () => (await fixture.Grains.GetGrain<IRunQueueGrain>(0).GetLineAsync()).Waiting.Count == 0, "the waiter out of line");
        Assert.Equal(RunState.Cancelled, (await Grain(waiter).GetSnapshotAsync()).State);
        await SubmitAsync(holder, CommandKind.Cancel);
        await PollUntilAsync(async () => (await fixture.Grains.GetGrain<IRunQueueGrain>(0).GetLineAsync()).Running.Count == 0, "the slot given back");
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
