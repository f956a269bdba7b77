namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// One request as the fake received it. <paramref name="Headers"/> holds every request header (names as sent, values
/// joined by ", "); <paramref name="Body"/> is the body as UTF-8 text, or a size note for multipart uploads.
/// </summary>
public sealed record DaytonaRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool IsToolbox => PathAndQuery.StartsWith("/toolbox/", StringComparison.Ordinal);
}
