namespace SandboxAgents.Registry;

[GenerateSerializer, Alias("SandboxAgents.Registry.RegistryState")]
public sealed class RegistryState
{
    /// <summary>Latest run per issue key.</summary>
    [Id(0)] public Dictionary<string, RunEntry> Runs { get; set; } = [];
}
