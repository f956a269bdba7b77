namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Reads a request head strictly: <c>METHOD SP target SP HTTP/1.x</c>, then <c>name: value</c> lines ended by CRLF.
/// Anything else (bare CR or LF, control characters, folded lines, spaces in names) is a 400: the proxy re-encodes
/// what it passes on, so it has no reason to be lenient with a hostile client.
/// </summary>
internal static class RequestHeadParser
{
    public static RequestHead Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !IsToken(requestLine[0]) || requestLine[1].Length == 0 || !IsVisible(requestLine[1]))
            throw ProxyRefusal.BadRequest("malformed request line");
        if (requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0")) throw ProxyRefusal.BadRequest("only HTTP/1.0 and HTTP/1.1 are spoken here");

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon])) throw ProxyRefusal.BadRequest("malformed header field");
            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (!value.All(c => c == '\t' || (c >= ' ' && c < 0x7f))) throw ProxyRefusal.BadRequest("malformed header field");
            headers.Add(new(line[..colon], value));
        }

        return new RequestHead(requestLine[0], requestLine[1], requestLine[2], headers);
    }

    private static bool IsVisible(string text) => text.All(c => c is > ' ' and < (char)0x7f);

    private static bool IsToken(string text) => text.Length > 0 && text.All(c =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~');
}
