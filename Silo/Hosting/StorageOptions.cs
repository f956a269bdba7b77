namespace SandboxAgents.Silo.Hosting;

/// <summary>Section <c>Storage</c>: where grain state and reminders live.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Sqlite = "sqlite";
    public const string Memory = "memory";
    public const string Redis = "redis";

    /// <summary>
    /// <c>sqlite</c> (default): durable, one file <c>{Path}/orleans.db</c> for one silo. <c>memory</c>: lost when the
    /// process stops, for tests. <c>redis</c> for clusters is the next provider.
    /// </summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>The service's data folder, relative to the working directory.</summary>
    public string Path { get; set; } = "data";
}
