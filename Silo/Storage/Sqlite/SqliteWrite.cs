using Microsoft.Data.Sqlite;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// One queued write. The writer runs it inside its batch's transaction and keeps the result; the caller's task
/// completes only once that transaction is committed (or failed), and never on the writer's own thread.
/// </summary>
internal abstract class SqliteWrite
{
    public abstract void Execute(SqliteConnection connection);

    public abstract void Committed();

    public abstract void Failed(Exception error);
}

/// <inheritdoc />
internal sealed class SqliteWrite<T>(Func<SqliteConnection, T> operation) : SqliteWrite
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    // Completed by the writer's loop on the thread pool, continuations run asynchronously: no context to deadlock on.
#pragma warning disable VSTHRD003
    public Task<T> Task => _done.Task;
#pragma warning restore VSTHRD003

    public override void Execute(SqliteConnection connection) => _result = operation(connection);

    public override void Committed() => _done.TrySetResult(_result!);

    public override void Failed(Exception error) => _done.TrySetException(error);
}
