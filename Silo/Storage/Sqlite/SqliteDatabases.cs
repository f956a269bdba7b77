namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// The silo's SQLite files, one <see cref="SqliteDatabase"/> (one writer) per full path, shared by every storage
/// provider and the reminder table over it; disposing the silo's services commits what is queued and closes them.
/// </summary>
public sealed class SqliteDatabases : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteDatabase> _byFolder = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>The database in <c>{path}/orleans.db</c>, made on first use.</summary>
    public SqliteDatabase Get(string path)
    {
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        lock (_lock)
        {
            if (!_byFolder.TryGetValue(folder, out var database))
                _byFolder[folder] = database = new SqliteDatabase(folder);
            return database;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SqliteDatabase> databases;
        lock (_lock)
        {
            databases = [.. _byFolder.Values];
            _byFolder.Clear();
        }

        foreach (var database in databases)
            await database.DisposeAsync();
    }
}
