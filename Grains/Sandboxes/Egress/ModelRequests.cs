namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// The model relay's rules for a relay that is not the egress proxy (the service's public route for remote
/// sandboxes): which upstream URL a request may reach, and which header fields cross, with the service's key added.
/// </summary>
public static class ModelRequests
{
    /// <summary>
    /// The upstream URL for <paramref name="rest"/> (path and query after the route), or null when it would leave the
    /// model API's path or is not one of the paths open to sandboxes.
    /// </summary>
    public static Uri? Upstream(ModelApiOptions model, string rest)
    {
        try
        {
            var url = ModelRoute.Combine(model.ModelApiUrl, rest);
            return ModelRoute.IsAllowed(model.ModelApiUrl, url, model.EffectiveAllowedPaths) ? url : null;
        }
        catch (ProxyRefusal)
        {
            return null;
        }
    }

    /// <summary>Copies the agent's header fields that may go up (never its credentials) and adds the service's key.</summary>
    public static void CopyHeaders(string method, IEnumerable<KeyValuePair<string, string>> headers, HttpRequestMessage request, string apiKey) =>
        ForwardedHeaders.CopyToRequest(new RequestHead(method, "/", "HTTP/1.1", [.. headers]), request, apiKey);

    /// <summary>The answer's header fields that go down to the agent.</summary>
    public static IEnumerable<KeyValuePair<string, IEnumerable<string>>> ResponseHeaders(HttpResponseMessage response) =>
        ForwardedHeaders.FromResponse(response);
}
