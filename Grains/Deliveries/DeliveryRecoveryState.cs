namespace SandboxAgents.Deliveries;

/// <summary>The persisted state of <see cref="DeliveryRecoveryGrain"/>.</summary>
[GenerateSerializer, Alias("SandboxAgents.Deliveries.DeliveryRecoveryState")]
public sealed class DeliveryRecoveryState
{
    /// <summary>The id of the newest delivery seen by the last look; null before the first look.</summary>
    [Id(0)] public long? LastSeenId { get; set; }
}
