namespace SandboxAgents.Runs;

/// <summary>
/// Commands an issue has received, persisted apart from <see cref="IssueState"/> so that taking a command never waits
/// for (or races with) a transition: only <see cref="CommandInbox"/> writes this, only the grain's ticks write the other.
/// </summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.InboxState")]
public sealed class InboxState
{
    [Id(0)] public List<NumberedCommand> Commands { get; set; } = [];

    [Id(1)] public long LastNumber { get; set; }

    /// <summary>Recent webhook delivery ids, to drop redeliveries.</summary>
    [Id(2)] public List<string> Deliveries { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.NumberedCommand")]
public sealed record NumberedCommand([property: Id(0)] long Number, [property: Id(1)] IssueCommand Command);
