using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>
/// HTTP/1.1 written and read by hand on a socket, for what a library client would not send (malformed heads, CONNECT
/// with bytes sent along) and to see exactly what the proxy answers. Every read is bounded, so a hang fails the test.
/// </summary>
public static class RawHttp
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static Task SendAsync(Socket socket, string text) => SendAsync(socket, Encoding.ASCII.GetBytes(text));

    public static async Task SendAsync(Socket socket, byte[] bytes)
    {
        for (var sent = 0; sent < bytes.Length;)
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None).AsTask().WaitAsync(Bound);
    }

    /// <summary>Reads one response: its head, then a body framed by Content-Length or chunked (decoded), else up to the close.</summary>
    public static async Task<RawResponse> ReadResponseAsync(Socket socket)
    {
        var head = await ReadHeadAsync(socket);
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).GroupBy(p => p[0].Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p[1].Trim())), StringComparer.Ordinal);
        byte[] body;
        if (headers.TryGetValue("content-length", out var length)) body = await ReadExactlyAsync(socket, int.Parse(length, CultureInfo.InvariantCulture));
        else if (headers.GetValueOrDefault("transfer-encoding") == "chunked") body = await ReadChunkedAsync(socket);
        else body = await ReadToEndAsync(socket);
        return new RawResponse(status, lines[0], headers, Encoding.UTF8.GetString(body));
    }

    /// <summary>The head up to and without its blank line, read a byte at a time so nothing after it is consumed.</summary>
    public static async Task<string> ReadHeadAsync(Socket socket)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None).WaitAsync(Bound) == 0)
                throw new EndOfStreamException($"Closed after: {Encoding.ASCII.GetString([.. head])}");
            head.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. head], 0, head.Count - 4);
    }

    public static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None).WaitAsync(Bound) == 0) throw new EndOfStreamException();
            line.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. line], 0, line.Count - 2);
    }

    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Bound);
            if (n == 0) throw new EndOfStreamException($"Closed after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound)) > 0) await all.WriteAsync(buffer.AsMemory(0, n));
        return all.ToArray();
    }

    /// <summary>Whether the peer has closed: a read ends (no data) or the connection is reset.</summary>
    public static async Task<bool> IsClosedAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task<byte[]> ReadChunkedAsync(Socket socket)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var size = int.Parse(await ReadLineAsync(socket), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0) break;
            await body.WriteAsync(await ReadExactlyAsync(socket, size));
            Assert.Equal("", await ReadLineAsync(socket));
        }

        Assert.Equal("", await ReadLineAsync(socket));
        return body.ToArray();
    }
}

public sealed record RawResponse(int Status, string StatusLine, IReadOnlyDictionary<string, string> Headers, string Body);
