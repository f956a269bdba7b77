using System.Buffers;
using System.Net.Sockets;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>Writing to and closing a connected socket.</summary>
internal static class SocketExtensions
{
    private const int DrainBytes = 64 * 1024;

    /// <summary>Sends every byte, however many sends it takes.</summary>
    public static async Task SendAllAsync(this Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>
    /// Ends sending, then reads and drops what the client is still sending (a body not read, a TLS hello) for a moment
    /// before the socket is closed: closing with unread data would reset the connection and could lose the answer.
    /// </summary>
    public static async Task LingerAsync(this Socket socket, TimeSpan time, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var linger = new CancellationTokenSource(time, clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(linger.Token, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            for (var drained = 0; drained < DrainBytes;)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (read == 0) break;
                drained += read;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or slow: closing is all that is left to do.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
