using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class RunRegistryGrainTests(GrainClusterFixture fixture)
{
    private static int _registries = 1000;
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A registry of the test's own (the service uses key 0), so tests cannot see each other's runs.</summary>
    private IRunRegistryGrain NewRegistry() => fixture.Grains.GetGrain<IRunRegistryGrain>(Interlocked.Increment(ref _registries));

    private static RunEntry Entry(string repository, int number, RunState state, int minute) =>
        new($"{repository}#{number}", repository, number, $"run{number}", state, "maintainer",
            Start.AddMinutes(minute), Start.AddMinutes(minute), state.IsTerminal() ? Start.AddMinutes(minute + 1) : null, null, null, $"Issue {number}");

    [Fact]
    public async Task GetPage_PagesNewestFirst_AndFiltersByStateAndRepository()
    {
        var registry = NewRegistry();
        for (var i = 1; i <= 7; i++) await registry.RecordAsync(Entry(i % 2 == 0 ? "a/one" : "b/two", i, i <= 3 ? RunState.Running : RunState.Succeeded, i));

        var first = await registry.GetPageAsync(new RunQuery(PageSize: 3));
        var third = await registry.GetPageAsync(new RunQuery(Page: 3, PageSize: 3));
        var running = await registry.GetPageAsync(new RunQuery(State: RunState.Running));
        var repository = await registry.GetPageAsync(new RunQuery(Repository: "A/ONE"));

        Assert.Equal([7, 6, 5], first.Items.Select(r => r.Number));
        Assert.Equal(7, first.Total);
        Assert.Equal([1], third.Items.Select(r => r.Number));
        Assert.Equal([3, 2, 1], running.Items.Select(r => r.Number));
        Assert.Equal([6, 4, 2], repository.Items.Select(r => r.Number));
    }

    [Fact]
    public async Task Record_SameIssue_KeepsOnlyTheLatestRun_AndIgnoresAStaleUpdate()
    {
        var registry = NewRegistry();
        await registry.RecordAsync(Entry("o/r", 1, RunState.Running, 1) with { UpdatedAt = Start.AddMinutes(5) });

        await registry.RecordAsync(Entry("o/r", 1, RunState.Queued, 1) with { UpdatedAt = Start.AddMinutes(2) });
        var afterStale = await registry.GetPageAsync(new RunQuery());
        await registry.RecordAsync(Entry("o/r", 1, RunState.Succeeded, 1) with { UpdatedAt = Start.AddMinutes(9) });
        var latest = await registry.GetPageAsync(new RunQuery());

        Assert.Equal(RunState.Running, Assert.Single(afterStale.Items).State);
        Assert.Equal(RunState.Succeeded, Assert.Single(latest.Items).State);
    }

    [Fact]
    public async Task Record_PastCapacity_DropsTheOldestEndedRuns_NeverActiveOnes()
    {
        var registry = NewRegistry();
        await registry.RecordAsync(Entry("o/r", 1, RunState.Running, 0));
        for (var i = 2; i <= GrainClusterFixture.RegistryCapacity + 10; i++) await registry.RecordAsync(Entry("o/r", i, RunState.Failed, i));

        var all = await registry.GetPageAsync(new RunQuery(PageSize: 200));

        Assert.Equal(GrainClusterFixture.RegistryCapacity, all.Total);
        Assert.Contains(all.Items, r => r.Number == 1);
        Assert.DoesNotContain(all.Items, r => r.Number is >= 2 and <= 11);
        Assert.Contains(all.Items, r => r.Number == GrainClusterFixture.RegistryCapacity + 10);
    }

    [Fact]
    public async Task GetPage_PageSize_IsBounded() =>
        Assert.Equal(200, (await NewRegistry().GetPageAsync(new RunQuery(PageSize: 10_000))).PageSize);

    [Fact]
    public async Task Subscribers_AreToldOfEveryChange()
    {
        var registry = NewRegistry();
        var observer = new RecordingObserver();
        var reference = fixture.Grains.CreateObjectReference<IRunRegistryObserver>(observer);
        await registry.SubscribeAsync(reference);

        var bothSeen = observer.SeenAsync(2);
        await registry.RecordAsync(Entry("o/r", 1, RunState.Queued, 1));
        await registry.RecordAsync(Entry("o/r", 1, RunState.Running, 1) with { UpdatedAt = Start.AddMinutes(2) });

        // The registry pushes to its observers in one-way calls, which may arrive after RecordAsync has returned, and in
        // either order (the gateway's RunEventHub drops the older one when it comes second).
        Assert.Equal([RunState.Queued, RunState.Running], (await bothSeen).Select(e => e.State).Order());
        await registry.UnsubscribeAsync(reference);
    }

    [Fact]
    public async Task Records_ArrivingWhileTheIndexIsBeingWritten_ShareTheNextWrite_AndEachReturnsOnceStored()
    {
        var registry = NewRegistry();
        await registry.RecordAsync(Entry("o/r", 1, RunState.Running, 1));
        var grain = registry.GetGrainId();
        var writesBefore = fixture.Storage.WritesOf(StorageNames.RegistryState, grain);
        var slowStore = fixture.Storage.HoldWritesOf(StorageNames.RegistryState, grain);

        var records = Enumerable.Range(2, 40).Select(i => registry.RecordAsync(Entry("o/r", i, RunState.Running, i))).ToList();
        // Every record has changed the index while the first write still waits on the store.
        await Eventually.MatchesAsync(() => registry.GetPageAsync(new RunQuery(PageSize: 200)), p => p.Total == 41, "all 40 records taken in");
        Assert.All(records, r => Assert.False(r.IsCompleted));
        slowStore.SetResult();
        await Task.WhenAll(records);

        Assert.Equal(writesBefore + 2, fixture.Storage.WritesOf(StorageNames.RegistryState, grain));
        Assert.Equal(41, (await registry.GetPageAsync(new RunQuery(PageSize: 200))).Total);
    }

    [Fact]
    public async Task IssueGrain_RecordsItsRun_InTheServiceRegistry()
    {
        var issue = fixture.NextIssue();
        await fixture.SubmitAndTickAsync(issue,
            new IssueCommand(CommandKind.Run, CommandSource.Label, "maintainer", $"registry-{issue.Number}", new IssueText("Registered", "")));

        // The tick that started the run recorded it.
        var page = await fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: issue.RepositoryFullName, PageSize: 200));
        var entry = Assert.Single(page.Items, r => r.Key == issue.ToString());
        Assert.Equal((RunState.Running, "Registered", fixture.Clock.GetUtcNow()), (entry.State, entry.Title, entry.UpdatedAt));
    }

    private sealed class RecordingObserver : IRunRegistryObserver
    {
        private readonly List<RunEntry> _seen = [];
        private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<RunEntry>> Seen)> _waiting = [];

        /// <summary>Completes with the entries seen once there are <paramref name="count"/> of them.</summary>
        public Task<IReadOnlyList<RunEntry>> SeenAsync(int count)
        {
            var seen = new TaskCompletionSource<IReadOnlyList<RunEntry>>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_seen)
            {
                if (_seen.Count >= count) seen.SetResult([.. _seen]);
                else _waiting.Add((count, seen));
            }

            return seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public void OnRunChanged(RunEntry entry)
        {
            lock (_seen)
            {
                _seen.Add(entry);
                foreach (var waiter in _waiting.Where(w => w.Count <= _seen.Count).ToList())
                {
                    _waiting.Remove(waiter);
                    waiter.Seen.SetResult([.. _seen]);
                }
            }
        }
    }
}
