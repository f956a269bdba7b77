using Microsoft.Data.Sqlite;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// The one SQLite file (<c>{path}/orleans.db</c>, WAL mode) that holds grain state and reminders. Every write goes
/// through its one writer (<see cref="WriteAsync{T}"/>, group commit); reads use pooled connections of their own,
/// which WAL keeps from blocking the writer. Make one per file and process (<see cref="SqliteDatabases"/>): a second
/// one over the same file would be a second writer, and its batches would fail as locked.
/// </summary>
public sealed class SqliteDatabase : IAsyncDisposable
{
    public const string FileName = "orleans.db";

    private readonly string _readConnectionString;
    private readonly SqliteWriter _writer;
    private readonly Lock _lock = new();
    private Task? _creation;

    public SqliteDatabase(string path)
    {
        Folder = Path.GetFullPath(path);
        FilePath = Path.Combine(Folder, FileName);
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            // WAL readers wait only on a crash recovery; Microsoft.Data.Sqlite retries that by sleeping, so briefly.
            DefaultTimeout = 2,
        }.ToString();
        _writer = new SqliteWriter(FilePath);
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Transactions the writer committed: with concurrent writers, far fewer than <see cref="Writes"/>.</summary>
    public long Transactions => _writer.Transactions;

    /// <summary>Writes the writer committed.</summary>
    public long Writes => _writer.Writes;

    /// <summary>
    /// Runs <paramref name="operation"/> in the writer's next transaction, shared with the writes queued beside it.
    /// The task completes after that transaction's COMMIT returned (durable), with the operation's own result; if the
    /// operation or the batch fails (a SQLite error), every write of the batch fails with that error and none is kept.
    /// </summary>
    /// <param name="operation">Runs on the writer's connection; it must not block or start a transaction itself.</param>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, T> operation) => _writer.WriteAsync(operation);

    /// <summary>Opens a read connection to the file, creating the folder, file and tables the first time.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync().WaitAsync(cancellationToken);
        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns this file's pooled read connections, so the file can be deleted or moved.</summary>
    public void ReleasePooledConnections()
    {
        using var connection = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Commits the writes already queued, stops the writer and closes its connection and the idle readers.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        ReleasePooledConnections();
    }

    /// <summary>The writer creates the file when it opens it: one creation is shared, a failed one is tried again.</summary>
    internal Task EnsureCreatedAsync()
    {
        lock (_lock)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
                _creation = WriteAsync(_ => true);
            return _creation;
        }
    }
}
