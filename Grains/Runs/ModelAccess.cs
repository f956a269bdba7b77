using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Runs;

/// <summary>
/// How an agent reaches the model API without holding its key. Local sandboxes behind the egress proxy get
/// <c>ANTHROPIC_BASE_URL</c> pointing at the proxy's model route; remote (Daytona) sandboxes get the service's public
/// relay route with a token for their run alone (<see cref="ModelRelayTokens"/>); both get a placeholder key, and the
/// service adds <c>Agent:ModelApiKey</c> on the way. Where neither route exists (a sandbox on the host's network, or
/// Daytona without <c>Gateway:PublicUrl</c>) the key is never handed over: the service refuses to start with a key
/// it could only give to the agent.
/// </summary>
public sealed class ModelAccess(
    IOptions<ModelApiOptions> model,
    IOptions<SandboxOptions> sandbox,
    IOptions<LocalSandboxOptions> local,
    IOptions<NetworkOptions> network,
    IOptions<DashboardLinkOptions> links,
    ModelRelayTokens tokens)
{
    /// <summary>The public route remote sandboxes reach the model through: <c>{Gateway:PublicUrl}/api/model-relay/{token}/v1/messages</c>.</summary>
    public const string RelayRoute = "/api/model-relay";

    /// <summary>How long after the run's deadline its relay token still works (a run's last answer may arrive late).</summary>
    private static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(10);

    /// <summary>Variables an agent could use to hold a model credential; the service sets them itself or not at all.</summary>
    public static readonly string[] CredentialVariables = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "CLAUDE_CODE_OAUTH_TOKEN"];

    /// <summary>True when sandboxes reach the model through the egress proxy's route.</summary>
    public bool RelaysThroughEgressProxy =>
        sandbox.Value.Provider == SandboxOptions.Local
        && !string.Equals(local.Value.Isolation, LocalSandboxOptions.None, StringComparison.OrdinalIgnoreCase)
        && network.Value.Mode == NetworkOptions.Proxy;

    /// <summary>True when remote sandboxes reach the model through the service's public relay route.</summary>
    public bool RelaysThroughGateway => sandbox.Value.Provider == SandboxOptions.Daytona && links.Value.PublicUrl is not null;

    public bool HasKey => !string.IsNullOrEmpty(model.Value.ModelApiKey);

    /// <summary>What the run's sandbox environment gets for the model API (nothing without a key).</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment(IssueKey issue, RunRecord run, DateTimeOffset now)
    {
        if (!HasKey) yield break;
        if (RelaysThroughEgressProxy)
        {
            yield return new("ANTHROPIC_BASE_URL", EgressEndpoint.SandboxModelUrl.ToString().TrimEnd('/'));
        }
        else if (RelaysThroughGateway)
        {
            // A run in Provisioning always has its deadline; without one the token lives as long as the longest run could.
            var token = tokens.Issue(issue, run.RunId, (run.Deadline ?? now + TimeSpan.FromHours(24)) + TokenMargin);
            yield return new("ANTHROPIC_BASE_URL", $"{links.Value.PublicUrl!.ToString().TrimEnd('/')}{RelayRoute}/{token}");
        }
        else
        {
            yield break;
        }

        yield return new("ANTHROPIC_API_KEY", EgressEndpoint.PlaceholderApiKey);
        // The CLI otherwise opens connections of its own to api.anthropic.com (telemetry, updates) outside the route.
        yield return new("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    }

    /// <summary>Why this configuration would put a model credential into sandboxes, or null when it does not.</summary>
    public string? Problem(AgentOptions settings)
    {
        var given = settings.Environment.Keys.Where(k => CredentialVariables.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        var relays = RelaysThroughEgressProxy || RelaysThroughGateway;
        if (given.Count > 0 && (relays || HasKey))
            return $"Agent:Environment:{given[0]} would hand a model credential to the agent. Set Agent:ModelApiKey instead: the service adds it to the agent's model requests, and the agent never holds it.";
        if (HasKey && !relays)
            return sandbox.Value.Provider == SandboxOptions.Daytona
                ? "Agent:ModelApiKey with Daytona sandboxes needs Gateway:PublicUrl: the sandboxes reach the model through the service's relay at that address. Without it the key could only be handed to the agent."
                : "Agent:ModelApiKey reaches local sandboxes only through the egress proxy (Sandbox:Network=proxy, with isolation). " +
                  "With these settings it could only be handed to the agent: leave it unset, and give the agent a key of its own through Agent:Environment if you accept that the agent holds it.";
        return null;
    }
}
