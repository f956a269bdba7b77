namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// A request the proxy answers with an error instead of serving it: the status and a one-line reason for the sandbox.
/// The reason never holds a secret; it may name the host the sandbox asked for (already validated text). A refusal
/// by policy names the host to record in <see cref="EgressProxy.BlockedHosts"/>.
/// </summary>
internal sealed class ProxyRefusal(int status, string reason, string? blockedHost = null) : Exception(reason)
{
    public int Status { get; } = status;

    public string? BlockedHost { get; } = blockedHost;

    public static ProxyRefusal BadRequest(string reason) => new(400, reason);

    public static ProxyRefusal TimedOut() => new(408, "request not received in time");

    public static ProxyRefusal Forbidden(string host, string reason) => new(403, reason, host);
}
