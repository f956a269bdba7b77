using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// What a sandbox sends on one connection, read through one pooled buffer: the request head (at most
/// <see cref="MaxHeadBytes"/>), then lines and bytes of the body, and last whatever is left for a tunnel.
/// </summary>
internal sealed class HttpInput(Socket socket) : IDisposable
{
    public const int MaxHeadBytes = 16 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] EndOfLine = "\r\n"u8.ToArray();

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(MaxHeadBytes);
    private int _start;
    private int _end;

    /// <summary>Whether the sandbox has sent anything yet.</summary>
    public bool HasReceived { get; private set; }

    /// <summary>The bytes read past what was consumed (a client may send its TLS hello before the 200 arrives).</summary>
    public ReadOnlyMemory<byte> Buffered => Buffer.AsMemory(_start, _end - _start);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(HttpInput));

    /// <summary>The head up to its blank line (ASCII as Latin-1, not including the final CRLF CRLF), or null if the client closed before sending anything.</summary>
    public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var end = await ReadUntilAsync(EndOfHead, MaxHeadBytes, 431, "request head too large", cancellationToken);
        if (end < 0) return null;
        var head = Encoding.Latin1.GetString(Buffer, _start, end - _start);
        _start = end + EndOfHead.Length;
        return head;
    }

    /// <summary>One CRLF-ended line of fewer than <paramref name="maxLength"/> bytes with its CRLF (a chunk size, a trailer field).</summary>
    public async Task<string> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var end = await ReadUntilAsync(EndOfLine, maxLength, 400, "line too long", cancellationToken);
        if (end < 0) throw ProxyRefusal.BadRequest("incomplete request body");
        var line = Encoding.Latin1.GetString(Buffer, _start, end - _start);
        _start = end + EndOfLine.Length;
        return line;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes into <paramref name="destination"/>.</summary>
    public async Task CopyExactlyAsync(long count, Stream destination, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken)) throw ProxyRefusal.BadRequest("incomplete request body");
            var take = (int)Math.Min(count, _end - _start);
            await destination.WriteAsync(Buffer.AsMemory(_start, take), cancellationToken);
            _start += take;
            count -= take;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }

    /// <summary>
    /// The index where <paramref name="delimiter"/> starts, reading more as needed; -1 when the client closed having sent
    /// nothing. <paramref name="maxLength"/> bytes without it are refused.
    /// </summary>
    private async Task<int> ReadUntilAsync(byte[] delimiter, int maxLength, int tooLongStatus, string tooLongReason, CancellationToken cancellationToken)
    {
        var searched = _start;
        while (true)
        {
            var found = Buffer.AsSpan(searched, _end - searched).IndexOf(delimiter);
            if (found >= 0) return searched + found;
            if (_end - _start >= maxLength) throw new ProxyRefusal(tooLongStatus, tooLongReason);
            searched = Math.Max(_start, _end - delimiter.Length + 1);
            var before = _start;
            if (!await FillAsync(cancellationToken))
            {
                if (!HasReceived) return -1;
                throw ProxyRefusal.BadRequest("incomplete request");
            }

            searched -= before - _start;
        }
    }

    /// <summary>Reads more into the buffer, moving what is unread to its front first; false when the client has closed.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.AsSpan(_start, _end - _start).CopyTo(Buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == Buffer.Length) return true;
        var read = await socket.ReceiveAsync(Buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        HasReceived |= read > 0;
        return read > 0;
    }
}
