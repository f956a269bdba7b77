using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>The SQLite grain storage on its own, in the manner of Orleans' provider tests.</summary>
public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private const string StateName = "probe";
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    private readonly TempSqliteFolder _folder = new();
    private readonly GrainId _grain = GrainId.Create("probe", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    private SqliteGrainStorage NewStorage() => new("test", _folder.Database, Serializer);

    private static GrainState<ProbeState> State(int count, string note = "") => new(new ProbeState { Count = count, Note = note });

    private async Task<GrainState<ProbeState>> ReadAsync(SqliteGrainStorage storage)
    {
        var state = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(StateName, _grain, state);
        return state;
    }

    [Fact]
    public async Task ReadStateAsync_Missing_RecordDoesNotExist()
    {
        var read = await ReadAsync(NewStorage());

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(0, read.State!.Count);
        Assert.True(File.Exists(Path.Combine(_folder.Path, SqliteDatabase.FileName)));
    }

    [Fact]
    public async Task WriteStateAsync_ThenRead_RoundTrips()
    {
        var storage = NewStorage();
        var written = State(7, "seven");

        await storage.WriteStateAsync(StateName, _grain, written);
        var read = await ReadAsync(storage);

        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal((7, "seven"), (read.State!.Count, read.State!.Note));
    }

    [Fact]
    public async Task WriteStateAsync_Rewrite_ChangesETag()
    {
        var storage = NewStorage();
        var state = State(1);
        await storage.WriteStateAsync(StateName, _grain, state);
        var first = state.ETag;

        state.State!.Count = 2;
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.NotEqual(first, state.ETag);
        Assert.Equal(2, (await ReadAsync(storage)).State!.Count);
    }

    [Fact]
    public async Task WriteStateAsync_SameETagTwice_FirstWinsSecondThrows()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grain, State(1));
        var first = await ReadAsync(storage);
        var second = await ReadAsync(storage);
        var secondETag = second.ETag;

        first.State!.Count = 10;
        await storage.WriteStateAsync(StateName, _grain, first);
        second.State!.Count = 20;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, second));

        Assert.Equal(secondETag, second.ETag);
        var stored = await ReadAsync(storage);
        Assert.Equal(10, stored.State!.Count);
        Assert.Equal(first.ETag, stored.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_ManyWritersWithOneETag_ExactlyOneWins()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grain, State(0));
        var etag = (await ReadAsync(storage)).ETag;
        var writers = Enumerable.Range(1, 10).Select(i => new GrainState<ProbeState>(new ProbeState { Count = i }) { ETag = etag }).ToList();

        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await Task.Run(() => NewStorage().WriteStateAsync(StateName, _grain, w));
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        var winner = Assert.Single(writers.Where((_, i) => outcomes[i]));
        var stored = await ReadAsync(storage);
        Assert.Equal((winner.State!.Count, winner.ETag), (stored.State!.Count, stored.ETag));
    }

    [Fact]
    public async Task WriteStateAsync_NullETagOverExistingRow_Throws()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grain, State(1));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, State(2)));

        Assert.Equal(1, (await ReadAsync(storage)).State!.Count);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsAndKeepsRow()
    {
        var storage = NewStorage();
        var stale = State(1);
        await storage.WriteStateAsync(StateName, _grain, stale);
        var current = await ReadAsync(storage);
        await storage.WriteStateAsync(StateName, _grain, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grain, stale));

        Assert.True((await ReadAsync(storage)).RecordExists);
    }

    [Fact]
    public async Task ClearStateAsync_ThenWrite_StartsAfresh()
    {
        var storage = NewStorage();
        var state = State(3);
        await storage.WriteStateAsync(StateName, _grain, state);

        await storage.ClearStateAsync(StateName, _grain, state);
        var cleared = await ReadAsync(storage);
        state.State!.Count = 4;
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.True(state.RecordExists);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
        Assert.Equal(4, (await ReadAsync(storage)).State!.Count);
    }

    [Fact]
    public async Task ReadStateAsync_NewProviderOnSameFile_SeesData()
    {
        var written = State(42, "kept");
        await NewStorage().WriteStateAsync(StateName, _grain, written);
        await _folder.ReopenAsync();

        var read = await ReadAsync(NewStorage());

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal((42, "kept"), (read.State!.Count, read.State!.Note));
    }

    [Fact]
    public async Task WriteStateAsync_OtherStateNameOrGrain_IsSeparate()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync(StateName, _grain, State(1));

        var other = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync("other", _grain, other);
        var otherGrain = new GrainState<ProbeState>(new ProbeState());
        await storage.ReadStateAsync(StateName, GrainId.Create("probe", "someone-else"), otherGrain);

        Assert.False(other.RecordExists);
        Assert.False(otherGrain.RecordExists);
    }
}
