using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.TestingHost;
using SandboxAgents.Silo.Storage.Sqlite;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Storage;

/// <summary>
/// A silo on the SQLite storage and reminder table is stopped and a new one started on the same file: grain state
/// and reminders are still there, and the reminder keeps ticking.
/// </summary>
public sealed class SqliteSiloRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly TempSqliteFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _folder.DisposeAsync().AsTask();

    private async Task<InProcessTestCluster> StartSiloAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorage(StorageProbeGrain.StorageName, _folder.Path);
            silo.UseSqliteReminderService(_folder.Path);
            silo.AddSqliteGrainStorage(StorageProbeGrain.StorageName, _folder.Path);
            silo.UseSqliteReminderService(_folder.Path);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, _clock);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task Restart_StateAndReminder_Survive()
    {
        var key = Guid.NewGuid().ToString("N");
        await using (var first = await StartSiloAsync())
        {
            var grain = first.Client.GetGrain<IStorageProbeGrain>(key);
            await grain.IncrementAsync();
            Assert.Equal(2, await grain.IncrementAsync());
            await grain.StartReminderAsync(Period);
        }

        await using var second = await StartSiloAsync();
        var restarted = second.Client.GetGrain<IStorageProbeGrain>(key);

        Assert.Equal(2, (await restarted.GetStateAsync()).Count);
        Assert.True(await restarted.HasReminderAsync());
        var state = await Eventually.MatchesAsync(
            async () =>
            {
                _clock.Advance(Period);
                return await restarted.GetStateAsync();
            },
            s => s.Ticks > 0,
            "the reminder registered before the restart to tick");
        Assert.Equal(2, state.Count);
        Assert.True(File.Exists(Path.Combine(_folder.Path, SqliteDatabase.FileName)));
    }
}
