using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Writes the model API's answer to the sandbox as it arrives: status line, header fields, then each read of the
/// body as one chunk at once (so server-sent events reach the agent event by event), and <c>Connection: close</c>.
/// An HTTP/1.0 client gets the body delimited by the close instead.
/// </summary>
internal static class ModelResponseWriter
{
    private const int BufferBytes = 16 * 1024;
    private const int ChunkHeaderRoom = 8; // up to four hex digits and CRLF for a 16 KiB chunk, right-aligned before the data
    private static readonly byte[] LastChunk = "0\r\n\r\n"u8.ToArray();

    public static async Task WriteAsync(Socket client, RequestHead request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var hasBody = request.Method != "HEAD" && status is >= 200 and not 204 and not 304;
        var chunked = hasBody && !request.IsHttp10;
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrase(response)}\r\n");
        foreach (var (name, values) in ForwardedHeaders.FromResponse(response))
        {
            foreach (var value in values.Where(IsOneLine)) head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (chunked) head.Append("Transfer-Encoding: chunked\r\n");
        head.Append("Connection: close\r\n\r\n");
        await client.SendAllAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
        if (!hasBody) return;

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkHeaderRoom + BufferBytes + 2);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(ChunkHeaderRoom, BufferBytes), cancellationToken);
                if (read == 0) break;
                await client.SendAllAsync(chunked ? Frame(buffer, read) : buffer.AsMemory(ChunkHeaderRoom, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (chunked) await client.SendAllAsync(LastChunk, cancellationToken);
    }

    /// <summary>Puts the chunk's size line just before its data in the buffer and CRLF after it.</summary>
    private static ReadOnlyMemory<byte> Frame(byte[] buffer, int length)
    {
        var sizeLine = Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        var start = ChunkHeaderRoom - sizeLine.Length;
        sizeLine.CopyTo(buffer, start);
        buffer[ChunkHeaderRoom + length] = (byte)'\r';
        buffer[ChunkHeaderRoom + length + 1] = (byte)'\n';
        return buffer.AsMemory(start, sizeLine.Length + length + 2);
    }

    private static string ReasonPhrase(HttpResponseMessage response) =>
        response.ReasonPhrase is { Length: > 0 } reason && IsOneLine(reason) ? reason : ProxyResponse.ReasonPhrase((int)response.StatusCode);

    private static bool IsOneLine(string value) => value.AsSpan().IndexOfAny('\r', '\n') < 0;
}
