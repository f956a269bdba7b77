using Orleans.Storage;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>Options of one named SQLite grain storage provider.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The folder holding <c>orleans.db</c>.</summary>
    public string Path { get; set; } = "data";

    /// <summary>Set from DI (<see cref="IGrainStorageSerializer"/>) unless configured, as Orleans' own providers do.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
