using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using SandboxAgents.Runs;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Bench;

/// <summary>
/// A write batch on the SQLite grain storage: 100 issue grains writing their state at once (each an ETag-checked
/// update of one row, as when a burst of commands lands), over a temp folder.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet disposes through [GlobalCleanup], not IDisposable
public class SqliteWriteBenchmarks
#pragma warning restore CA1001
{
    private const int Grains = 100;
    private DirectoryInfo _folder = null!;
    private SqliteDatabase _database = null!;
    private SqliteGrainStorage _storage = null!;
    private (GrainId Id, GrainState<IssueState> State)[] _grains = [];

    [GlobalSetup]
    public async Task CreateAsync()
    {
        _folder = Directory.CreateTempSubdirectory("bench-sqlite-");
        _database = new SqliteDatabase(_folder.FullName);
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());
        _storage = new SqliteGrainStorage("bench", _database, serializer);
        _grains = [.. Enumerable.Range(1, Grains).Select(i => (
            GrainId.Create("sandbox", $"octo/widgets#{i}"),
            new GrainState<IssueState>(new IssueState { Runs = [new RunRecord { RunId = $"run{i:0000}", RequestedBy = "maintainer", LogTail = ["one", "two"] }] })))];
        await WriteBatchAsync();
    }

    [Benchmark]
    public Task WriteBatchAsync() => Task.WhenAll(_grains.Select(g => _storage.WriteStateAsync(StorageNames.IssueState, g.Id, g.State)));

    [GlobalCleanup]
    public async Task DeleteAsync()
    {
        await _database.DisposeAsync();
        _database.ReleasePooledConnections();
        _folder.Delete(recursive: true);
    }
}
