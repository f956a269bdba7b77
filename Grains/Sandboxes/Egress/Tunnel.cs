using System.Buffers;
using System.Net.Sockets;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Pipes bytes both ways between a sandbox and an upstream until both directions have ended. The end of one
/// direction is passed on as a half-close; an error in either ends both. An idle direction holds no buffer: it waits
/// with a zero-byte read and rents one only when data is there, so thousands of idle tunnels cost little memory.
/// </summary>
internal static class Tunnel
{
    private const int BufferBytes = 16 * 1024;

    public static async Task RunAsync(Socket client, ReadOnlyMemory<byte> clientSentAlready, Socket upstream, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(
            PumpAsync(client, upstream, clientSentAlready, failed),
            PumpAsync(upstream, client, ReadOnlyMemory<byte>.Empty, failed));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task PumpAsync(Socket from, Socket to, ReadOnlyMemory<byte> first, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        try
        {
            if (!first.IsEmpty) await to.SendAllAsync(first, cancellationToken);
            while (true)
            {
                await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
                try
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                    if (read == 0) break;
                    await to.SendAllAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            await failed.CancelAsync();
        }
    }
}
