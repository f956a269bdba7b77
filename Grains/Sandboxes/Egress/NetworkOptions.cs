using Microsoft.Extensions.Configuration;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Section <c>Sandbox:Network</c>: how a local sandbox reaches the network. The mode is the value of the key
/// <c>Sandbox:Network</c> itself (or of <c>Sandbox:Network:Mode</c>, which JSON files can hold next to the list); the
/// allow list is <c>Sandbox:Network:Allow:0</c>, <c>:1</c>, ...
/// </summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Sandbox:Network";

    /// <summary>No network but the egress proxy, which lets through HTTPS to <see cref="Allow"/> and the model route.</summary>
    public const string Proxy = "proxy";

    /// <summary>No network at all (not even the model API).</summary>
    public const string None = "none";

    /// <summary>The host's network, unfiltered: for trusted use only.</summary>
    public const string Host = "host";

    public string Mode { get; set; } = Proxy;

    /// <summary>
    /// Hosts a sandbox may open a tunnel to: <c>registry.npmjs.org</c>, <c>*.example.org</c> (any name below, not the
    /// name itself), an IP literal (<c>127.0.0.1</c>, <c>[::1]</c>), each optionally with <c>:port</c>; without a port
    /// only 443. Empty means <see cref="DefaultAllow"/>; a list replaces it (name its entries too to keep them).
    /// </summary>
    public IList<string> Allow { get; } = [];

    /// <summary>The model API's host and the usual package registries, over HTTPS. Not GitHub: the service pushes.</summary>
    public static IReadOnlyList<string> DefaultAllow { get; } =
    [
        "api.anthropic.com",
        "registry.npmjs.org", "registry.yarnpkg.com", "repo.yarnpkg.com",
        "pypi.org", "files.pythonhosted.org",
        "api.nuget.org", "globalcdn.nuget.org",
        "crates.io", "static.crates.io", "index.crates.io",
        "proxy.golang.org", "sum.golang.org",
        "rubygems.org", "index.rubygems.org",
        "repo.maven.apache.org", "repo1.maven.org",
    ];

    /// <summary>How long resolving and connecting to an allowed host may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a sandbox has to send a whole request head (and a model request's body) once it connects.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest model request body passed on; a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Connections one sandbox may hold open at once; more are answered 503.</summary>
    public int MaxConnectionsPerSandbox { get; set; } = 256;

    /// <summary>The list in force: <see cref="Allow"/>, or <see cref="DefaultAllow"/> when it is empty.</summary>
    public IReadOnlyList<string> EffectiveAllow => Allow.Count == 0 ? DefaultAllow : [.. Allow];

    /// <summary>Takes the mode from the value of <c>Sandbox:Network</c> when it has one, and normalises it.</summary>
    public static void ReadMode(NetworkOptions options, IConfiguration configuration)
    {
        var value = configuration[SectionName];
        if (!string.IsNullOrWhiteSpace(value)) options.Mode = value;
        options.Mode = options.Mode.Trim().ToLowerInvariant();
    }
}
