using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// How an isolated sandbox's commands reach the network (<c>Sandbox:Network</c>): through the egress proxy (its own
/// network namespace, the proxy's socket bound in, a forwarder on <c>127.0.0.1:3128</c> started before the command,
/// the proxy variables set), not at all (its own empty namespace), or on the host's network (opt-in).
/// </summary>
internal sealed class SandboxNetwork
{
    // The forwarder must be listening before the command runs; /proc/net/tcp lists 127.0.0.1:3128 as 0100007F:0C38,
    // state 0A (LISTEN). Without its socket (the service restarting) it keeps listening and refuses nothing: each
    // connection simply fails until the service listens again.
    private static readonly string Forwarder =
        $"socat TCP-LISTEN:{EgressEndpoint.SandboxPort},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:{EgressEndpoint.SandboxSocketPath} </dev/null >/dev/null 2>&1 & " +
        $"for _ in $(seq 500); do grep -q ' 0100007F:{EgressEndpoint.SandboxPort:X4} 00000000:0000 0A ' /proc/net/tcp && break; sleep 0.01; done; " +
        "exec /bin/bash -c \"$1\"";

    private SandboxNetwork(string mode) => Mode = mode;

    public static SandboxNetwork Proxy { get; } = new(NetworkOptions.Proxy);

    public static SandboxNetwork None { get; } = new(NetworkOptions.None);

    public static SandboxNetwork Host { get; } = new(NetworkOptions.Host);

    public string Mode { get; }

    public bool SharesHost => Mode == NetworkOptions.Host;

    public bool UsesProxy => Mode == NetworkOptions.Proxy;

    /// <summary>Where the proxy's socket folder is bound inside, or null without the proxy.</summary>
    public string? ProxySocketFolder => UsesProxy ? EgressEndpoint.SandboxSocketDirectory : null;

    public static SandboxNetwork From(string mode) => mode switch
    {
        NetworkOptions.Proxy => Proxy,
        NetworkOptions.None => None,
        NetworkOptions.Host => Host,
        _ => throw new InvalidOperationException($"Sandbox:Network must be '{NetworkOptions.Proxy}', '{NetworkOptions.None}' or '{NetworkOptions.Host}', not '{mode}'."),
    };

    /// <summary>What bubblewrap runs: <c>bash -c</c> the command, behind the forwarder when the proxy is used.</summary>
    public IReadOnlyList<string> Wrap(string command) =>
        UsesProxy ? ["/bin/bash", "-c", Forwarder, "sandbox-network", command] : ["/bin/bash", "-c", command];

    /// <summary>The variables that point programs at the proxy.</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment()
    {
        if (!UsesProxy) yield break;
        var proxy = EgressEndpoint.SandboxProxyUrl.ToString().TrimEnd('/');
        foreach (var name in (string[])["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) yield return new(name, proxy);
        foreach (var name in (string[])["NO_PROXY", "no_proxy"]) yield return new(name, "localhost,127.0.0.1");
    }
}
