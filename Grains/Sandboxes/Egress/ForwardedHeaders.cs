using System.Net.Http.Headers;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Which header fields cross the model relay. Going up: everything but the agent's credentials (<c>x-api-key</c>,
/// <c>authorization</c>), <c>proxy-*</c>, <c>host</c>, framing and hop-by-hop fields (and those <c>Connection</c>
/// names); the service's key is added. Coming down: everything but framing and hop-by-hop fields.
/// </summary>
internal static class ForwardedHeaders
{
    public const string ApiKey = "x-api-key";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "content-length",
    };

    private static readonly HashSet<string> NotSentUp = new(StringComparer.OrdinalIgnoreCase) { ApiKey, "authorization", "host", "expect" };

    public static void CopyToRequest(RequestHead head, HttpRequestMessage request, string apiKey)
    {
        var named = NamedByConnection(head.Values("Connection"));
        foreach (var (name, value) in head.Headers)
        {
            if (HopByHop.Contains(name) || NotSentUp.Contains(name) || IsProxyField(name) || named.Contains(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation(ApiKey, apiKey);
    }

    /// <summary>The response's header fields to pass down, in order.</summary>
    public static IEnumerable<KeyValuePair<string, IEnumerable<string>>> FromResponse(HttpResponseMessage response)
    {
        var named = NamedByConnection(response.Headers.TryGetValues("Connection", out var values) ? values : []);
        return response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .Where(h => !HopByHop.Contains(h.Key) && !IsProxyField(h.Key) && !named.Contains(h.Key))
            .Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value));
    }

    private static bool IsProxyField(string name) => name.StartsWith("proxy-", StringComparison.OrdinalIgnoreCase);

    private static HashSet<string> NamedByConnection(IEnumerable<string> connection) =>
        new(connection.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)), StringComparer.OrdinalIgnoreCase);
}
