using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// The only way out of a local sandbox with <c>Sandbox:Network=proxy</c>: one unix socket per sandbox, bound into it
/// and forwarded to <c>127.0.0.1:3128</c> inside. It tunnels HTTPS (<c>CONNECT</c>) to the allowed hosts, relays
/// <c>/model/...</c> to the model API with the service's key, and refuses the rest, remembering refused hosts per
/// sandbox. One per service. Sockets run on real time: the time-outs are about real peers.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SandboxListener> _sandboxes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly ConnectionHandler _handler;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private bool _disposed;

    public EgressProxy(IOptions<NetworkOptions> network, IOptions<ModelApiOptions> modelApi, IHttpClientFactory httpClients, ILogger<EgressProxy> logger)
        : this(network.Value, modelApi.Value, httpClients, TimeProvider.System, logger)
    {
    }

    internal EgressProxy(NetworkOptions network, ModelApiOptions modelApi, IHttpClientFactory httpClients, TimeProvider clock, ILogger logger)
    {
        var tunnels = new TunnelOpener(AllowList.Parse(network.EffectiveAllow), network.ConnectTimeout, clock);
        var relay = new ModelRelay(httpClients, modelApi, network.MaxRequestBodyBytes, clock, logger);
        _handler = new ConnectionHandler(tunnels, relay, network.RequestTimeout, clock, logger);
        _maxConnections = network.MaxConnectionsPerSandbox;
        _logger = logger;
    }

    /// <summary>
    /// Starts listening for the sandbox on <paramref name="socketPath"/> (in a folder the caller made), replacing a
    /// stale socket file left there before a restart. Idempotent per sandbox id; another path for an open sandbox is
    /// an error. With an owner (the service runs as root and the sandbox has its own host user) the file is handed to
    /// it with mode 0600; without one it has mode 0666 and the folder (0755, bound into this sandbox alone) guards it.
    /// </summary>
    public void Open(string sandboxId, string socketPath, int? ownerUid = null, int? ownerGid = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sandboxId);
        ArgumentException.ThrowIfNullOrWhiteSpace(socketPath);
        var path = Path.GetFullPath(socketPath);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sandboxes.TryGetValue(sandboxId, out var open))
            {
                if (open.SocketPath == path) return;
                throw new InvalidOperationException($"The egress proxy of sandbox {sandboxId} already listens on {open.SocketPath}, not {path}.");
            }

            var listener = new SandboxListener(sandboxId, path, _handler, _maxConnections, _logger);
            listener.Start(ownerUid, ownerGid);
            _sandboxes[sandboxId] = listener;
        }

        _logger.Opened(sandboxId, path);
    }

    /// <summary>Whether the sandbox's socket is listening.</summary>
    public bool IsOpen(string sandboxId) => _sandboxes.ContainsKey(sandboxId);

    /// <summary>
    /// Stops listening for the sandbox, deletes its socket file, ends its tunnels and relays, and forgets its blocked
    /// hosts (read them first). Completes when every connection has ended. Idempotent.
    /// </summary>
    public async Task CloseAsync(string sandboxId)
    {
        SandboxListener? listener;
        lock (_lock)
        {
            if (!_sandboxes.TryRemove(sandboxId, out listener)) return;
            listener.Stop();
        }

        await listener.DisposeAsync();
        _logger.Closed(sandboxId);
    }

    /// <summary>
    /// The hosts this sandbox was refused, in the order first seen, each once, at most 50 (<c>host</c> for port 443,
    /// else <c>host:port</c>: the entry that would allow it). Empty for a sandbox not open. Agent-chosen: untrusted text.
    /// </summary>
    public IReadOnlyList<string> BlockedHosts(string sandboxId) =>
        _sandboxes.TryGetValue(sandboxId, out var listener) ? listener.Blocked.Snapshot() : [];

    public async ValueTask DisposeAsync()
    {
        lock (_lock) _disposed = true;
        await Task.WhenAll(_sandboxes.Keys.Select(CloseAsync));
    }
}
