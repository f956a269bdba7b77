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

    /// <summary>How long the model API may take to start answering (a long non-streaming request takes minutes).</summary>
    public TimeSpan ModelApiTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
