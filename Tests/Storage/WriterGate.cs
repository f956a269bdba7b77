using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>
/// A write that holds the writer inside its batch until released: whatever is queued meanwhile is the next batch,
/// so a test knows exactly which writes share a transaction without guessing at timing.
/// </summary>
public sealed class WriterGate : IAsyncDisposable
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _release = new();

    private WriterGate(SqliteDatabase database) => Written = database.WriteAsync(_ =>
    {
        _entered.SetResult();
        _release.Wait();
        return 0;
    });

    /// <summary>The gate's own write, committed with its batch after <see cref="Release"/>.</summary>
    public Task Written { get; }

    /// <summary>Completes when the writer is inside the gate's batch and can take nothing more.</summary>
#pragma warning disable VSTHRD003 // the gate's own signal, set on the writer's thread-pool loop
    public Task Entered => _entered.Task;
#pragma warning restore VSTHRD003

    /// <summary>Queues a gate behind what is already queued.</summary>
    public static WriterGate Queue(SqliteDatabase database) => new(database);

    /// <summary>Queues a gate and waits until the writer holds it.</summary>
    public static async Task<WriterGate> HoldAsync(SqliteDatabase database)
    {
        var gate = Queue(database);
        await gate.Entered;
        return gate;
    }

    public void Release() => _release.Set();

    public async ValueTask DisposeAsync()
    {
        Release();
#pragma warning disable VSTHRD003 // the gate's own write, run by the writer's thread-pool loop
        await Written;
#pragma warning restore VSTHRD003
    }
}
