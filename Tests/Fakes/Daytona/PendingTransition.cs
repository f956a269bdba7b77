namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// A state change under way: the sandbox shows <paramref name="State"/> after <paramref name="GetsLeft"/> more
/// <c>GET /sandbox/{idOrName}</c> calls, the one that reaches zero included.
/// </summary>
internal sealed record PendingTransition(string State, int GetsLeft, string? ErrorReason = null);
