using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a pre-built request and reads one response (status, then a body of
/// <c>Content-Length</c> bytes or chunked), no more: just enough HTTP for a load sender.
/// </summary>
public sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private HttpConnection(Socket socket) => _socket = socket;

    public static async Task<HttpConnection> OpenAsync(Uri target)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(target.Host, target.Port);
        return new HttpConnection(socket);
    }

    /// <summary>Sends head, extra headers and body; returns the response's status code once the whole response is read.</summary>
    public async Task<int> SendAsync(byte[] head, string moreHeaders, byte[] body)
    {
        await _socket.SendAsync(new ArraySegment<byte>[] { head, Encoding.ASCII.GetBytes(moreHeaders), body });
        var read = 0;
        int headEnd;
        while ((headEnd = _buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0) read += await ReceiveAsync(read);

        var header = Encoding.ASCII.GetString(_buffer, 0, headEnd);
        var status = int.Parse(header.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var start = headEnd + 4;
        if (Header(header, "content-length") is { } length)
        {
            var end = start + int.Parse(length, CultureInfo.InvariantCulture);
            while (read < end) read += await ReceiveAsync(read);
        }
        else if (Header(header, "transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            while (!_buffer.AsSpan(start, read - start).EndsWith("0\r\n\r\n"u8)) read += await ReceiveAsync(read);
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private async Task<int> ReceiveAsync(int offset)
    {
        if (offset == _buffer.Length) throw new InvalidDataException("A response larger than the sender's buffer.");
        var received = await _socket.ReceiveAsync(_buffer.AsMemory(offset));
        return received > 0 ? received : throw new IOException("The server closed the connection.");
    }

    private static string? Header(string head, string name) =>
        head.Split("\r\n").Skip(1).Select(l => l.Split(':', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))?[1].Trim();
}
