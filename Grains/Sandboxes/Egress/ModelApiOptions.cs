namespace SandboxAgents.Sandboxes.Egress;

/// <summary>Keys of section <c>Agent</c> that say where the egress proxy sends a sandbox's model requests, and with which key.</summary>
public sealed class ModelApiOptions
{
    public const string SectionName = "Agent";

    /// <summary>The named <see cref="System.Net.Http.IHttpClientFactory"/> client the proxy sends model requests with.</summary>
    public const string HttpClientName = "SandboxAgents.ModelApi";

    /// <summary>The Messages API; a sandbox's <c>/model/...</c> is sent to this URL plus the rest of its path and query.</summary>
    public Uri ModelApiUrl { get; set; } = new("https://api.anthropic.com");

    /// <summary>The key the proxy sends as <c>x-api-key</c>. A secret: never logged, never given to a sandbox.</summary>
    public string? ModelApiKey { get; set; }

    /// <summary>
    /// The model API's paths (below <see cref="ModelApiUrl"/>) a sandbox may use with the service's key: the Messages
    /// API and its token count. Everything else (files, batches, admin) is refused, so the key buys nothing more.
    /// </summary>
    public IList<string> AllowedPaths { get; } = [];

    public static IReadOnlyList<string> DefaultAllowedPaths { get; } = ["/v1/messages", "/v1/messages/count_tokens"];

    public IReadOnlyList<string> EffectiveAllowedPaths => AllowedPaths.Count == 0 ? DefaultAllowedPaths : [.. AllowedPaths];

    /// <summary>How long the model API may take to start answering (a long non-streaming request takes minutes).</summary>
    public TimeSpan ModelApiTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
