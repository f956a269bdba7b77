using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>
/// The one writer of a SQLite file: queued writes share a transaction (group commit), each caller gets its own result
/// only after COMMIT, a stale ETag fails only its caller, a failing batch fails only its callers.
/// </summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private const string StateName = "probe";
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    private readonly TempSqliteFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    private SqliteDatabase Database => _folder.Database;

    private SqliteGrainStorage Storage(SqliteDatabase? database = null) => new("test", database ?? Database, Serializer);

    private static GrainId Grain(string key) => GrainId.Create("probe", key);

    private static GrainState<ProbeState> State(int count, string? etag = null) => new(new ProbeState { Count = count }) { ETag = etag };

    private async Task<GrainState<ProbeState>> ReadAsync(GrainId grain)
    {
        var state = new GrainState<ProbeState>(new ProbeState());
        await Storage().ReadStateAsync(StateName, grain, state);
        return state;
    }

    /// <summary>The stored ETag as a connection of its own sees it: only what was committed.</summary>
    private string? ETagFromNewConnection(GrainId grain)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Database.FilePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE grain_id = @id AND state_name = @state";
        command.Parameters.AddWithValue("@id", grain.Key.ToString());
        command.Parameters.AddWithValue("@state", StateName);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The exception <paramref name="task"/> failed with (a queued write is awaited after its batch).</summary>
    private static async Task<T> FailureAsync<T>(Task task)
        where T : Exception
    {
        try
        {
#pragma warning disable VSTHRD003 // a write queued by the test, completed by the writer's thread-pool loop
            await task;
#pragma warning restore VSTHRD003
        }
        catch (Exception error)
        {
            return Assert.IsType<T>(error);
        }

        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name}, but the write succeeded.");
    }

    private (long Transactions, long Writes) Counters() => (Database.Transactions, Database.Writes);

    [Fact]
    public async Task WriteStateAsync_HundredConcurrentWrites_ShareOneTransaction()
    {
        var storage = Storage();
        var before = Counters();
        var grains = Enumerable.Range(0, 100).Select(i => Grain($"many-{i}")).ToList();

        Task[] writes;
        await using (await WriterGate.HoldAsync(Database))
            writes = [.. grains.Select((g, i) => storage.WriteStateAsync(StateName, g, State(i)))];
        await Task.WhenAll(writes);

        Assert.Equal((before.Transactions + 2, before.Writes + 101), Counters());
        Assert.Equal(Enumerable.Range(0, 100), await Task.WhenAll(grains.Select(async g => (await ReadAsync(g)).State!.Count)));
    }

    [Fact]
    public async Task WriteStateAsync_MoreThanABatch_SplitsIntoBoundedBatches()
    {
        var storage = Storage();
        var before = Counters();
        var count = SqliteWriter.MaxBatch + 44;

        Task[] writes;
        await using (await WriterGate.HoldAsync(Database))
            writes = [.. Enumerable.Range(0, count).Select(i => storage.WriteStateAsync(StateName, Grain($"bound-{i}"), State(i)))];
        await Task.WhenAll(writes);

        Assert.Equal((before.Transactions + 3, before.Writes + count + 1), Counters());
    }

    [Fact]
    public async Task WriteStateAsync_StaleETagInABatch_FailsOnlyThatWrite()
    {
        var storage = Storage();
        GrainId a = Grain("a"), b = Grain("b"), c = Grain("c"), d = Grain("d");
        var staleB = State(1);
        await storage.WriteStateAsync(StateName, b, staleB);
        var currentB = State(2, staleB.ETag);
        await storage.WriteStateAsync(StateName, b, currentB);
        var seedD = State(0);
        await storage.WriteStateAsync(StateName, d, seedD);
        staleB.State!.Count = 3;
        var (firstD, secondD) = (State(10, seedD.ETag), State(20, seedD.ETag));

        Task writeA, writeB, writeC, writeFirstD, writeSecondD;
        await using (await WriterGate.HoldAsync(Database))
        {
            writeA = storage.WriteStateAsync(StateName, a, State(1));
            writeB = storage.WriteStateAsync(StateName, b, staleB);
            writeC = storage.WriteStateAsync(StateName, c, State(3));
            writeFirstD = storage.WriteStateAsync(StateName, d, firstD);
            writeSecondD = storage.WriteStateAsync(StateName, d, secondD);
        }

        await Task.WhenAll(writeA, writeC, writeFirstD);
        var conflictB = await FailureAsync<InconsistentStateException>(writeB);
        var conflictD = await FailureAsync<InconsistentStateException>(writeSecondD);
        Assert.Equal(currentB.ETag, conflictB.StoredEtag);
        Assert.Equal(firstD.ETag, conflictD.StoredEtag);
        Assert.Equal((1, 2, 3, 10), ((await ReadAsync(a)).State!.Count, (await ReadAsync(b)).State!.Count, (await ReadAsync(c)).State!.Count, (await ReadAsync(d)).State!.Count));
        Assert.Equal(seedD.ETag, secondD.ETag);
    }

    [Fact]
    public async Task WriteStateAsync_Completes_OnlyAfterItsBatchIsCommitted()
    {
        var grain = Grain("durable");
        var state = State(7);
        Task write;
        WriterGate behind;
        await using (await WriterGate.HoldAsync(Database))
        {
            write = Storage().WriteStateAsync(StateName, grain, state);
            behind = WriterGate.Queue(Database);
        }

        await using (behind)
        {
            await behind.Entered;
            Assert.False(write.IsCompleted);
            Assert.Null(ETagFromNewConnection(grain));
        }

        await write;
        Assert.NotNull(state.ETag);
        Assert.Equal(state.ETag, ETagFromNewConnection(grain));
    }

    [Fact]
    public async Task ReminderTable_UpsertAndRemove_GoThroughTheWriter()
    {
        var table = new SqliteReminderTable(Database, NullLogger<SqliteReminderTable>.Instance);
        var grain = Grain("reminded");
        ReminderEntry Entry(string name) => new() { GrainId = grain, ReminderName = name, StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromMinutes(1) };
        var etag = await table.UpsertRow(Entry("old"));
        var before = Counters();

        Task<bool> remove;
        Task<string?> upsert;
        await using (await WriterGate.HoldAsync(Database))
        {
            remove = table.RemoveRow(grain, "old", etag!);
            upsert = table.UpsertRow(Entry("new"));
        }

        Assert.True(await remove);
        var etagNew = await upsert;
        Assert.Equal((before.Transactions + 2, before.Writes + 3), Counters());
        Assert.Equal(etagNew, (await table.ReadRow(grain, "new"))?.ETag);
        Assert.Null(await table.ReadRow(grain, "old"));
    }

    [Fact]
    public async Task Providers_OverOneFolder_ShareOneWriter()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddSqliteGrainStorage("a", _folder.Path)
            .AddSqliteGrainStorage("b", _folder.Path + Path.DirectorySeparatorChar)
            .UseSqliteReminderService(Path.Combine(_folder.Path, "sub", "..")));
        var host = builder.Build();
        try
        {
            var services = host.Services;
            var database = services.GetRequiredService<SqliteDatabases>().Get(_folder.Path);
            var (a, b) = (services.GetRequiredKeyedService<IGrainStorage>("a"), services.GetRequiredKeyedService<IGrainStorage>("b"));
            var reminders = services.GetRequiredService<IReminderTable>();
            var before = (database.Transactions, database.Writes);

            Task[] writes;
            await using (await WriterGate.HoldAsync(database))
            {
                writes =
                [
                    a.WriteStateAsync(StateName, Grain("via-a"), State(1)),
                    b.WriteStateAsync(StateName, Grain("via-b"), State(2)),
                    reminders.UpsertRow(new() { GrainId = Grain("via-reminders"), ReminderName = "r", StartAt = DateTime.UnixEpoch, Period = TimeSpan.FromMinutes(1) }),
                ];
            }

            await Task.WhenAll(writes);
            Assert.Equal((before.Transactions + 2, before.Writes + 4), (database.Transactions, database.Writes));
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }

    [Fact]
    public async Task WriteAsync_FailingOperation_FailsItsBatchAndLaterWritesWork()
    {
        var storage = Storage();
        var before = Counters();

        Task writeA, bad, writeB;
        await using (await WriterGate.HoldAsync(Database))
        {
            writeA = storage.WriteStateAsync(StateName, Grain("a"), State(1));
            bad = Database.WriteAsync(connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO no_such_table VALUES (1)";
                return command.ExecuteNonQuery();
            });
            writeB = storage.WriteStateAsync(StateName, Grain("b"), State(2));
        }

        var error = await FailureAsync<SqliteException>(bad);
        Assert.Same(error, await FailureAsync<SqliteException>(writeA));
        Assert.Same(error, await FailureAsync<SqliteException>(writeB));
        await storage.WriteStateAsync(StateName, Grain("c"), State(3));
        Assert.Equal((before.Transactions + 2, before.Writes + 2), Counters());
        Assert.False((await ReadAsync(Grain("a"))).RecordExists);
        Assert.Equal(3, (await ReadAsync(Grain("c"))).State!.Count);
    }

    [Fact]
    public async Task WriteStateAsync_FileLockedByAnotherWriter_FailsAtOnceWithAClearMessage()
    {
        var storage = Storage();
        await storage.WriteStateAsync(StateName, Grain("first"), State(1));
        await using (var other = new SqliteConnection($"Data Source={Database.FilePath};Pooling=False"))
        {
            await other.OpenAsync();
            using var transaction = other.BeginTransaction(deferred: false);

            var error = await Assert.ThrowsAsync<SqliteException>(() => storage.WriteStateAsync(StateName, Grain("blocked"), State(2)));

            Assert.Contains("locked by another writer", error.Message, StringComparison.Ordinal);
        }

        await storage.WriteStateAsync(StateName, Grain("after"), State(3));
        Assert.False((await ReadAsync(Grain("blocked"))).RecordExists);
        Assert.True((await ReadAsync(Grain("after"))).RecordExists);
    }

    [Fact]
    public async Task DisposeAsync_QueuedWrites_AreCommittedThenWritesAreRefused()
    {
        var database = Database;
        var storage = Storage(database);
        Task[] writes;
        Task disposing;
        await using (await WriterGate.HoldAsync(database))
        {
            writes = [.. Enumerable.Range(0, 10).Select(i => storage.WriteStateAsync(StateName, Grain($"queued-{i}"), State(i)))];
            disposing = database.DisposeAsync().AsTask();
        }

        await disposing;
        await Task.WhenAll(writes);
        Assert.Throws<ObjectDisposedException>(() => { _ = database.WriteAsync(_ => 0); });
        await _folder.ReopenAsync();
        Assert.Equal(9, (await ReadAsync(Grain("queued-9"))).State!.Count);
    }
}
