using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// The one writer of a file (group commit): a loop takes everything queued, up to <see cref="MaxBatch"/> writes, runs
/// it in one transaction on its own connection and commits once, then tells each caller its own result. One fsync is
/// shared by the whole batch, and no two connections of this process ever fight for the write lock.
/// </summary>
/// <remarks>
/// <c>BEGIN IMMEDIATE</c> and <c>COMMIT</c> go straight to SQLite, which (no busy handler) answers SQLITE_BUSY at once
/// when another process holds the lock; Microsoft.Data.Sqlite would retry that with <c>Thread.Sleep</c>. An
/// operation that throws fails its whole batch (rolled back); a stale ETag is not an error here, it is an operation
/// that changed no row and says so in its result.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    public const int MaxBatch = 256;

    private readonly Channel<SqliteWrite> _queue = Channel.CreateUnbounded<SqliteWrite>(new() { SingleReader = true });
    private readonly string _filePath;
    private readonly string _connectionString;
    private readonly Task _loop;
    private SqliteConnection? _connection;
    private long _transactions;
    private long _writes;

    public SqliteWriter(string filePath)
    {
        _filePath = filePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Its own connection for its whole life: closing it, the last one, checkpoints the WAL into the file.
            Pooling = false,
        }.ToString();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Committed transactions so far: fewer than <see cref="Writes"/> when writes were batched.</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Writes committed so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Queues <paramref name="operation"/> for the next batch; its task completes after that batch's COMMIT.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> operation)
    {
        var write = new SqliteWrite<T>(operation);
        if (!_queue.Writer.TryWrite(write))
            throw new ObjectDisposedException(nameof(SqliteWriter), $"The SQLite writer of {_filePath} has stopped.");
        return write.Task;
    }

    /// <summary>Takes no more writes, commits those already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Started by this writer's constructor with Task.Run, on no synchronisation context.
#pragma warning disable VSTHRD003
        await _loop;
#pragma warning restore VSTHRD003
        _connection?.Dispose();
        _connection = null;
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
                batch.Add(write);
            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<SqliteWrite> batch)
    {
        try
        {
            var connection = _connection ??= Open();
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                foreach (var write in batch)
                    write.Execute(connection);
                Execute(connection, "COMMIT");
            }
            catch
            {
                RollBack(connection);
                throw;
            }
        }
        catch (Exception error)
        {
            foreach (var write in batch)
                write.Failed(error);
            return;
        }

        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _writes, batch.Count);
        foreach (var write in batch)
            write.Committed();
    }

    private SqliteConnection Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_filePath)!);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, SqliteSchema.Create);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Ends a failed transaction; a connection that cannot is dropped, and the next batch opens a new one.</summary>
    private void RollBack(SqliteConnection connection)
    {
        if (raw.sqlite3_get_autocommit(connection.Handle) != 0)
            return;
        if (raw.sqlite3_exec(connection.Handle, "ROLLBACK") == raw.SQLITE_OK)
            return;
        connection.Dispose();
        _connection = null;
    }

    private void Execute(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_exec(connection.Handle, sql);
        if ((rc & 0xFF) == raw.SQLITE_BUSY)
        {
            throw new SqliteException(
                $"SQLite file {_filePath} is locked by another writer: one silo (one process) owns a data folder.",
                rc);
        }

        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }
}
