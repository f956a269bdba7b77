using SandboxAgents.Gateway.Events;

namespace SandboxAgents.Tests.Gateway;

public sealed class RunEventHubTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static RunEntry Entry(string runId, RunState state, int minute) =>
        new("o/r#1", "o/r", 1, runId, state, "maintainer", Start, Start.AddMinutes(minute), null, null, null, "Title");

    private static List<RunState> Drain(System.Threading.Channels.ChannelReader<RunEntry> reader)
    {
        var states = new List<RunState>();
        while (reader.TryRead(out var entry)) states.Add(entry.State);
        return states;
    }

    [Fact]
    public void ChangeArrivingAfterALaterOneOfTheSameRun_IsDropped()
    {
        var hub = new RunEventHub();
        using var stop = new CancellationTokenSource();
        var reader = hub.Listen(stop.Token);

        hub.OnRunChanged(Entry("r1", RunState.Running, 2));
        hub.OnRunChanged(Entry("r1", RunState.Queued, 1));
        hub.OnRunChanged(Entry("r1", RunState.Succeeded, 3));

        Assert.Equal([RunState.Running, RunState.Succeeded], Drain(reader));
    }

    [Fact]
    public void NewRunOfTheSameIssue_IsPassedOnWhateverItsTime()
    {
        var hub = new RunEventHub();
        using var stop = new CancellationTokenSource();
        var reader = hub.Listen(stop.Token);

        hub.OnRunChanged(Entry("r1", RunState.Failed, 5));
        hub.OnRunChanged(Entry("r2", RunState.Queued, 4));

        Assert.Equal([RunState.Failed, RunState.Queued], Drain(reader));
    }
}
