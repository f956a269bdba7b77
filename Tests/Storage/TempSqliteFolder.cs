using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>A fresh folder for one test's <c>orleans.db</c>, deleted with its pooled connections afterwards.</summary>
public sealed class TempSqliteFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sqlite-storage-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A new provider-side handle on the same file, as a restarted silo would have.</summary>
    public SqliteDatabase Open() => new(Path);

    public void Dispose()
    {
        Open().ReleasePooledConnections();
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
