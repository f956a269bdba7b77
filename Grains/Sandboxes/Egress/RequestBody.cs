using System.Globalization;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Reads a model request's body whole, framed by <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, at most
/// a given size (413 beyond, before reading it when the length is declared). Trailer fields are read and dropped.
/// </summary>
internal static class RequestBody
{
    private const int MaxLineBytes = 4096;
    private const int MaxTrailerFields = 64;

    /// <summary>The body, or null when the request has none; <paramref name="sendContinue"/> runs first when the client asked for <c>100-continue</c>.</summary>
    public static async Task<byte[]?> ReadAsync(RequestHead head, HttpInput input, long maxBytes, Func<Task> sendContinue, CancellationToken cancellationToken)
    {
        var codings = head.Values("Transfer-Encoding").ToList();
        var lengths = head.Values("Content-Length").Distinct(StringComparer.Ordinal).ToList();
        var expectsContinue = head.Value("Expect") is { } expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
        if (codings.Count > 0)
        {
            if (lengths.Count > 0) throw ProxyRefusal.BadRequest("both Content-Length and Transfer-Encoding");
            if (codings is not [var coding] || !coding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw ProxyRefusal.BadRequest("only the chunked transfer coding is accepted");
            if (expectsContinue) await sendContinue();
            return await ReadChunkedAsync(input, maxBytes, cancellationToken);
        }

        if (lengths.Count == 0) return null;
        if (lengths.Count > 1 || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            throw ProxyRefusal.BadRequest("malformed Content-Length");
        if (length > maxBytes) throw TooLarge(maxBytes);
        if (expectsContinue) await sendContinue();
        using var body = new MemoryStream((int)length);
        await input.CopyExactlyAsync(length, body, cancellationToken);
        return body.ToArray();
    }

    private static async Task<byte[]> ReadChunkedAsync(HttpInput input, long maxBytes, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await input.ReadLineAsync(MaxLineBytes, cancellationToken);
            var sizeText = line.Split(';')[0].TrimEnd(' ', '\t');
            if (sizeText.Length is 0 or > 15 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
                throw ProxyRefusal.BadRequest("malformed chunk size");
            if (size == 0) break;
            if (body.Length + size > maxBytes) throw TooLarge(maxBytes);
            await input.CopyExactlyAsync(size, body, cancellationToken);
            if ((await input.ReadLineAsync(MaxLineBytes, cancellationToken)).Length != 0) throw ProxyRefusal.BadRequest("malformed chunk");
        }

        for (var fields = 0; (await input.ReadLineAsync(MaxLineBytes, cancellationToken)).Length != 0; fields++)
        {
            if (fields == MaxTrailerFields) throw ProxyRefusal.BadRequest("too many trailer fields");
        }

        return body.ToArray();
    }

    private static ProxyRefusal TooLarge(long maxBytes) => new(413, $"request body larger than {maxBytes} bytes");
}
