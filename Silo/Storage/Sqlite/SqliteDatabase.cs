using Microsoft.Data.Sqlite;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// The one SQLite file (<c>{path}/orleans.db</c>, WAL mode) that holds grain state and reminders. The folder, file
/// and tables are created on first use; each operation opens its own connection, which Microsoft.Data.Sqlite pools.
/// </summary>
public sealed class SqliteDatabase
{
    public const string FileName = "orleans.db";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            state_name TEXT NOT NULL,
            etag       TEXT NOT NULL,
            data       BLOB NOT NULL,
            PRIMARY KEY (grain_type, grain_id, state_name));
        CREATE TABLE IF NOT EXISTS reminders (
            grain_id      TEXT    NOT NULL,
            reminder_name TEXT    NOT NULL,
            grain_hash    INTEGER NOT NULL,
            start_at      INTEGER NOT NULL,
            period        INTEGER NOT NULL,
            etag          TEXT    NOT NULL,
            PRIMARY KEY (grain_id, reminder_name));
        CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
        """;

    private readonly string _connectionString;
    private readonly Lock _lock = new();
    private Task? _creation;

    public SqliteDatabase(string path)
    {
        Folder = Path.GetFullPath(path);
        FilePath = Path.Combine(Folder, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Writers wait for each other (SQLITE_BUSY is retried) for up to this many seconds.
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Opens a connection to the file, creating the folder, file and tables the first time.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync().WaitAsync(cancellationToken);
        return await OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Returns this file's pooled connections, so the file can be deleted or moved.</summary>
    public void ReleasePooledConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>One creation is shared by every caller; a failed one is tried again by the next caller.</summary>
    private Task EnsureCreatedAsync()
    {
        lock (_lock)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
                _creation = CreateAsync();
            return _creation;
        }
    }

    private async Task CreateAsync()
    {
        Directory.CreateDirectory(Folder);
        await using var connection = await OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
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
}
