namespace SandboxAgents.Installations;

/// <summary>The persisted state of one <see cref="InstallationGrain"/>.</summary>
[GenerateSerializer, Alias("SandboxAgents.Installations.InstallationState")]
public sealed class InstallationState
{
    [Id(0)] public bool Suspended { get; set; }

    /// <summary>The account the App is installed on, as the last change named it.</summary>
    [Id(1)] public string? Account { get; set; }

    /// <summary>When the last suspension or unsuspension was recorded, and by whom.</summary>
    [Id(2)] public DateTimeOffset? ChangedAt { get; set; }
    [Id(3)] public string? ChangedBy { get; set; }
}
