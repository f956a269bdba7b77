namespace SandboxAgents.Sandboxes.Egress;

/// <summary>An HTTP/1.x request line and its header fields, as a sandbox sent them (all ASCII, no line folding).</summary>
internal sealed record RequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public bool IsHttp10 => Version == "HTTP/1.0";

    /// <summary>Every value of one header field (names compare case-insensitively).</summary>
    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Value(string name) => Values(name).FirstOrDefault();
}
