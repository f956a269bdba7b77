namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Where a sandbox finds its way out. The service listens on <c>{directory}/{SocketFileName}</c> on the host; that
/// directory is bound read-only at <see cref="SandboxSocketDirectory"/> inside, and a forwarder there
/// (<c>socat TCP-LISTEN:3128,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:/run/egress/proxy.sock</c>) presents it on
/// <c>127.0.0.1:</c><see cref="SandboxPort"/>.
/// </summary>
public static class EgressEndpoint
{
    public const int SandboxPort = 3128;

    /// <summary>The route of the model API: <c>ANTHROPIC_BASE_URL=http://127.0.0.1:3128/model</c>.</summary>
    public const string ModelPath = "/model";

    public const string SandboxSocketDirectory = "/run/egress";
    public const string SocketFileName = "proxy.sock";

    /// <summary>The socket's path as the sandbox sees it.</summary>
    public const string SandboxSocketPath = SandboxSocketDirectory + "/" + SocketFileName;

    /// <summary>The proxy as the sandbox's programs reach it (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>).</summary>
    public static readonly Uri SandboxProxyUrl = new($"http://127.0.0.1:{SandboxPort}");

    /// <summary>The model API as the sandbox's agent reaches it (<c>ANTHROPIC_BASE_URL</c>).</summary>
    public static readonly Uri SandboxModelUrl = new($"http://127.0.0.1:{SandboxPort}{ModelPath}");

    /// <summary>
    /// What the agent is given as <c>ANTHROPIC_API_KEY</c>: not a credential, only enough for the CLI to start. The
    /// proxy drops it and sends the service's key.
    /// </summary>
    public const string PlaceholderApiKey = "not-a-key.the-service-adds-the-real-one";
}
