namespace SandboxAgents.Queue;

[GenerateSerializer, Alias("SandboxAgents.Queue.RunQueueState")]
public sealed class RunQueueState
{
    /// <summary>Runs holding a slot, as <c>{issue}/{runId}</c>.</summary>
    [Id(0)] public List<string> Running { get; set; } = [];

    /// <summary>Runs waiting for a slot, oldest first.</summary>
    [Id(1)] public List<string> Waiting { get; set; } = [];
}
