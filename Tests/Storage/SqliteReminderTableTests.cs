using Microsoft.Extensions.Logging.Abstractions;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>The SQLite reminder table on its own: rows, ETags and the grain-hash ring.</summary>
public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);

    private readonly TempSqliteFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    private SqliteReminderTable NewTable() => new(_folder.Database, NullLogger<SqliteReminderTable>.Instance);

    private static ReminderEntry Entry(GrainId grain, string name = "watchdog", int minutes = 1) =>
        new() { GrainId = grain, ReminderName = name, StartAt = Start, Period = TimeSpan.FromMinutes(minutes) };

    [Fact]
    public async Task UpsertRow_ThenReadRow_RoundTrips()
    {
        var table = NewTable();
        var grain = GrainId.Create("probe", "a");

        var etag = await table.UpsertRow(Entry(grain, minutes: 5));
        var row = await table.ReadRow(grain, "watchdog");

        Assert.NotNull(row);
        Assert.Equal((grain, "watchdog", Start, TimeSpan.FromMinutes(5), etag), (row.GrainId, row.ReminderName, row.StartAt, row.Period, row.ETag));
    }

    [Fact]
    public async Task ReadRow_Missing_ReturnsNull()
    {
        Assert.Null(await NewTable().ReadRow(GrainId.Create("probe", "none"), "watchdog"));
    }

    [Fact]
    public async Task UpsertRow_Again_ReplacesRowWithNewETag()
    {
        var table = NewTable();
        var grain = GrainId.Create("probe", "a");
        var first = await table.UpsertRow(Entry(grain, minutes: 1));

        var second = await table.UpsertRow(Entry(grain, minutes: 2));

        Assert.NotEqual(first, second);
        var rows = (await table.ReadRows(grain)).Reminders;
        Assert.Equal((TimeSpan.FromMinutes(2), second), (Assert.Single(rows).Period, rows[0].ETag));
    }

    [Fact]
    public async Task ReadRows_ByGrain_ReturnsOnlyThatGrainsReminders()
    {
        var table = NewTable();
        var grain = GrainId.Create("probe", "a");
        await table.UpsertRow(Entry(grain, "one"));
        await table.UpsertRow(Entry(grain, "two"));
        await table.UpsertRow(Entry(GrainId.Create("probe", "b"), "one"));

        var rows = (await table.ReadRows(grain)).Reminders;

        Assert.Equal(["one", "two"], rows.Select(r => r.ReminderName).Order());
    }

    [Fact]
    public async Task RemoveRow_StaleETag_ReturnsFalseAndKeepsRow()
    {
        var table = NewTable();
        var grain = GrainId.Create("probe", "a");
        var stale = await table.UpsertRow(Entry(grain));
        var current = await table.UpsertRow(Entry(grain));

        Assert.False(await table.RemoveRow(grain, "watchdog", stale!));
        Assert.NotNull(await table.ReadRow(grain, "watchdog"));
        Assert.True(await table.RemoveRow(grain, "watchdog", current!));
        Assert.Null(await table.ReadRow(grain, "watchdog"));
        Assert.False(await table.RemoveRow(grain, "watchdog", current!));
    }

    [Fact]
    public async Task TestOnlyClearTable_RemovesEverything()
    {
        var table = NewTable();
        await table.UpsertRow(Entry(GrainId.Create("probe", "a")));

        await table.TestOnlyClearTable();

        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    [Fact]
    public async Task ReadRows_NewTableOnSameFile_SeesRows()
    {
        var grain = GrainId.Create("probe", "a");
        var etag = await NewTable().UpsertRow(Entry(grain));
        await _folder.ReopenAsync();

        var row = await NewTable().ReadRow(grain, "watchdog");

        Assert.Equal(etag, row?.ETag);
    }

    [Theory]
    [InlineData(50, 150)] // (begin, end] inside the ring
    [InlineData(150, 50)] // wraps: hash > begin or hash <= end
    [InlineData(100, 100)] // begin == end: the whole ring
    public async Task ReadRows_HashRange_ReturnsExactlyTheGrainsInRange(int beginIndex, int endIndex)
    {
        var table = NewTable();
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("probe", $"grain-{i}")).ToList();
        foreach (var grain in grains)
            await table.UpsertRow(Entry(grain));
        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToList();
        uint begin = hashes[beginIndex], end = hashes[endIndex];
        bool InRange(uint hash) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

        var rows = (await table.ReadRows(begin, end)).Reminders;

        var expected = grains.Where(g => InRange(g.GetUniformHashCode())).Select(g => g.ToString()).Order().ToList();
        Assert.Equal(expected, rows.Select(r => r.GrainId.ToString()).Order().ToList());
        Assert.Equal(
            beginIndex < endIndex ? endIndex - beginIndex : 200 - beginIndex + endIndex,
            rows.Count);
    }
}
