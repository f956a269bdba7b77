using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// One sandbox's listening socket, its accept loop and its open connections. The socket is what tells sandboxes
/// apart: whoever connects to it is this sandbox. Costs one socket and one pending accept while idle, no thread.
/// </summary>
internal sealed class SandboxListener : IAsyncDisposable
{
    private const int Backlog = 64;
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly ConnectionHandler _handler;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private Task _accepting = Task.CompletedTask;
    private int _open;
    private int _stopped;

    private SandboxListener(string sandboxId, string socketPath, ConnectionHandler handler, int maxConnections, ILogger logger)
    {
        SandboxId = sandboxId;
        SocketPath = socketPath;
        _handler = handler;
        _maxConnections = maxConnections;
        _logger = logger;
    }

    public string SandboxId { get; }

    public string SocketPath { get; }

    public BlockedHostLog Blocked { get; } = new();

    /// <summary>Binds the socket file (replacing a stale one), sets who may connect, and starts accepting.</summary>
    public static SandboxListener Start(string sandboxId, string socketPath, int? ownerUid, int? ownerGid, ConnectionHandler handler, int maxConnections, ILogger logger)
    {
        var listener = new SandboxListener(sandboxId, socketPath, handler, maxConnections, logger);
        try
        {
            UnixSocketFile.RemoveStale(socketPath);
            listener._socket.Bind(new UnixDomainSocketEndPoint(socketPath));
            UnixSocketFile.Protect(socketPath, ownerUid, ownerGid); // before Listen: nobody connects under the wrong mode
            listener._socket.Listen(Backlog);
        }
        catch
        {
            listener._socket.Dispose();
            UnixSocketFile.Delete(socketPath);
            throw;
        }

        listener._accepting = listener.AcceptLoopAsync();
        return listener;
    }

    /// <summary>Stops accepting and removes the socket file at once; open connections are told to end. Idempotent.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _stopping.Cancel();
        _socket.Dispose();
        UnixSocketFile.Delete(SocketPath);
    }

    /// <summary>Stops, then completes once the accept loop and every connection have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
#pragma warning disable VSTHRD003 // The accept loop and the connections were started by this listener, on no synchronisation context.
        await _accepting;
        await Task.WhenAll(_connections.Keys);
#pragma warning restore VSTHRD003
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of file descriptors, say: wait a moment rather than spin.
                _logger.AcceptFailed(SandboxId, e);
                await Task.Delay(AcceptRetryDelay, CancellationToken.None);
                continue;
            }

            Track(Interlocked.Increment(ref _open) > _maxConnections ? RefuseAsync(client) : ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await _handler.HandleAsync(SandboxId, Blocked, client, _stopping.Token);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task RefuseAsync(Socket client)
    {
        using var _ = client;
        Interlocked.Decrement(ref _open);
        _logger.TooManyConnections(SandboxId, _maxConnections);
        try
        {
            await ProxyResponse.SendErrorAsync(client, 503, "too many connections from this sandbox", _stopping.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.ConnectionEnded(SandboxId, e);
        }
    }

    private void Track(Task connection)
    {
        _connections.TryAdd(connection, true);
        _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
