namespace SandboxAgents.Registry;

/// <summary>Section <c>Registry</c>.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>Issues the registry remembers; past this the oldest ended runs are dropped (active ones never are).</summary>
    public int Capacity { get; set; } = 5000;

    /// <summary>How long an observer's subscription lasts unless renewed.</summary>
    public TimeSpan SubscriptionExpiry { get; set; } = TimeSpan.FromMinutes(5);

    public const int MaxPageSize = 200;
}
