namespace SandboxAgents.Runs;

/// <summary>A run's standing in the run queue (<see cref="QueueSlotEffect"/>): holding a slot, or waiting at a place in line.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.QueuePlace")]
public sealed class QueuePlace
{
    [Id(0)] public bool HoldsSlot { get; set; }

    /// <summary>1 = next in line; null when not waiting.</summary>
    [Id(1)] public int? Position { get; set; }

    public bool IsInQueue => HoldsSlot || Position is not null;
}
