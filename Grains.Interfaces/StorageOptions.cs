namespace SandboxAgents;

/// <summary>Section <c>Storage</c>: where grain state and reminders live, and the service's data folder every role reads.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Sqlite = "sqlite";
    public const string Memory = "memory";
    public const string Redis = "redis";
    public const string DefaultPath = "data";

    /// <summary>
    /// <c>sqlite</c> (default): durable, one file <c>{Path}/orleans.db</c> for one silo. <c>memory</c>: lost when the
    /// process stops, for tests. <c>redis</c>: state, reminders and membership in Redis, for clusters.
    /// </summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The service's data folder, relative to the working directory.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>The data folder as a full path; an empty <see cref="Path"/> means the default.</summary>
    public string DataFolder => System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(Path) ? DefaultPath : Path);
}
