namespace SandboxAgents.Tests.Storage;

/// <summary>The state the storage tests persist.</summary>
[GenerateSerializer, Alias("SandboxAgents.Tests.Storage.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public int Count { get; set; }

    [Id(1)] public string Note { get; set; } = "";

    [Id(2)] public int Ticks { get; set; }
}
