using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Runs;

/// <summary>
/// How an agent reaches the model API without holding its key: local sandboxes behind the egress proxy get
/// <c>ANTHROPIC_BASE_URL</c> pointing at the proxy's model route and a placeholder key; the proxy adds the service's
/// <c>Agent:ModelApiKey</c>. Where no such route exists (Daytona, or a sandbox on the host's network) the key is never
/// handed over: the service refuses to start with a key it could only give to the agent.
/// </summary>
public sealed class ModelAccess(
    IOptions<ModelApiOptions> model,
    IOptions<SandboxOptions> sandbox,
    IOptions<LocalSandboxOptions> local,
    IOptions<NetworkOptions> network)
{
    /// <summary>Variables an agent could use to hold a model credential; the service sets them itself or not at all.</summary>
    public static readonly string[] CredentialVariables = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "CLAUDE_CODE_OAUTH_TOKEN"];

    /// <summary>True when sandboxes reach the model through the egress proxy's route.</summary>
    public bool RelaysThroughEgressProxy =>
        sandbox.Value.Provider == SandboxOptions.Local
        && !string.Equals(local.Value.Isolation, LocalSandboxOptions.None, StringComparison.OrdinalIgnoreCase)
        && network.Value.Mode == NetworkOptions.Proxy;

    public bool HasKey => !string.IsNullOrEmpty(model.Value.ModelApiKey);

    /// <summary>What the run's sandbox environment gets for the model API (nothing without a key).</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment()
    {
        if (!HasKey || !RelaysThroughEgressProxy) yield break;
        yield return new("ANTHROPIC_BASE_URL", EgressEndpoint.SandboxModelUrl.ToString().TrimEnd('/'));
        yield return new("ANTHROPIC_API_KEY", EgressEndpoint.PlaceholderApiKey);
        // The CLI otherwise opens connections of its own to api.anthropic.com (telemetry, updates) outside the route.
        yield return new("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    }

    /// <summary>Why this configuration would put a model credential into sandboxes, or null when it does not.</summary>
    public string? Problem(AgentOptions agent)
    {
        var given = agent.Environment.Keys.Where(k => CredentialVariables.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (given.Count > 0 && RelaysThroughEgressProxy)
            return $"Agent:Environment:{given[0]} would hand a model credential to the agent. Set Agent:ModelApiKey instead: the egress proxy adds it to the agent's model requests, and the agent never holds it.";
        if (HasKey && !RelaysThroughEgressProxy)
            return "Agent:ModelApiKey is only used through the egress proxy of local sandboxes (Sandbox:Provider=local, Sandbox:Network=proxy). " +
                "With these sandboxes it could only be handed to the agent: leave it unset, and give the agent a key of its own through Agent:Environment if you accept that the agent holds it.";
        return null;
    }
}
