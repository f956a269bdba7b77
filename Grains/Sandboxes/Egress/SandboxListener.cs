using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// One sandbox's listening socket, its accept loop and its open connections. The socket is what tells sandboxes
/// apart: whoever connects to it is this sandbox. Costs one socket and one pending accept while idle, no thread.
/// </summary>
internal sealed class SandboxListener(string sandboxId, string socketPath, ConnectionHandler handler, int maxConnections, ILogger logger) : IAsyncDisposable
{
    private const int Backlog = 64;
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private Task _accepting = Task.CompletedTask;
    private int _open;
    private int _stopped;

    public string SandboxId { get; } = sandboxId;

    public string SocketPath { get; } = socketPath;

    public BlockedHostLog Blocked { get; } = new();

    /// <summary>Binds the socket file (replacing a stale one), sets who may connect, and starts accepting.</summary>
    public void Start(int? ownerUid, int? ownerGid)
    {
        try
        {
            UnixSocketFile.RemoveStale(SocketPath);
            _socket.Bind(new UnixDomainSocketEndPoint(SocketPath));
            UnixSocketFile.Protect(SocketPath, ownerUid, ownerGid); // before Listen: nobody connects under the wrong mode
            _socket.Listen(Backlog);
        }
        catch
        {
            _socket.Dispose();
            _stopping.Dispose();
            UnixSocketFile.Delete(SocketPath);
            throw;
        }

        _accepting = AcceptLoopAsync();
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
                logger.AcceptFailed(SandboxId, e);
                await Task.Delay(AcceptRetryDelay, CancellationToken.None);
                continue;
            }

            Track(Interlocked.Increment(ref _open) > maxConnections ? RefuseAsync(client) : ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            await handler.HandleAsync(SandboxId, Blocked, client, _stopping.Token);
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
        logger.TooManyConnections(SandboxId, maxConnections);
        try
        {
            await ProxyResponse.SendErrorAsync(client, 503, "too many connections from this sandbox", _stopping.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.ConnectionEnded(SandboxId, e);
        }
    }

    private void Track(Task connection)
    {
        _connections.TryAdd(connection, true);
        _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
