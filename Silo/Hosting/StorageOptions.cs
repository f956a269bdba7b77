namespace SandboxAgents.Silo.Hosting;

/// <summary>Section <c>Storage</c>: where grain state and reminders live.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Memory = "memory";
    public const string Redis = "redis";

    /// <summary>
    /// <c>memory</c> for now: state is lost when the process stops. The durable embedded default (<c>sqlite</c>) and
    /// <c>redis</c> for clusters are the next storage providers.
    /// </summary>
    public string Provider { get; set; } = Memory;

    public string Path { get; set; } = "data";
}
