namespace SandboxAgents;

/// <summary>
/// Instructions given to a run while it was active (<c>/agent &lt;text&gt;</c>, or the API's messages route): who sent
/// them, when the grain took them, and when the agent got them (its session resumed with them), if it did.
/// </summary>
/// <param name="Text">As sent, cleaned of what GitHub does not show and capped: untrusted, shown escaped.</param>
/// <param name="Late">Came after the agent's work was already published: not delivered, and the status comment says so.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.SteeringMessage")]
public sealed record SteeringMessage(
    [property: Id(0)] string From,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset? DeliveredAt = null,
    [property: Id(4)] bool Late = false);
