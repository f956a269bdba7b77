using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>A fresh folder for one test's <c>orleans.db</c>, deleted with its database afterwards.</summary>
public sealed class TempSqliteFolder : IAsyncDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sqlite-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The one database (one writer) over the file, as a silo holds it.</summary>
    public SqliteDatabase Database { get; private set; } = null!;

    public TempSqliteFolder() => Database = new SqliteDatabase(Path);

    /// <summary>Closes the database and opens a new one on the same file, as a restarted silo would.</summary>
    public async Task ReopenAsync()
    {
        await Database.DisposeAsync();
        Database = new SqliteDatabase(Path);
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
