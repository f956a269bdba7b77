namespace SandboxAgents.Tests.Grains;

/// <summary>A cluster where one run at a time may hold a sandbox.</summary>
public sealed class QueueClusterFixture : GrainClusterFixture
{
    protected override int MaxConcurrent => 1;
}

[CollectionDefinition(Name)]
public sealed class QueueClusterCollection : ICollectionFixture<QueueClusterFixture>
{
    public const string Name = "grain cluster with a run queue";
}
