using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Runs;

/// <summary>Which configurations would put a model credential into sandboxes: those the service refuses to start with.</summary>
public sealed class ModelAccessTests
{
    private static ModelAccess Access(string provider = SandboxOptions.Local, string network = NetworkOptions.Proxy, string isolation = LocalSandboxOptions.Auto, string? key = "sk-ant-service", Uri? publicUrl = null)
    {
        var model = Options.Create(new ModelApiOptions { ModelApiKey = key });
        return new ModelAccess(model, Options.Create(new SandboxOptions { Provider = provider }), Options.Create(new LocalSandboxOptions { Isolation = isolation }),
            Options.Create(new NetworkOptions { Mode = network }), Options.Create(new DashboardLinkOptions { PublicUrl = publicUrl }), new ModelRelayTokens(model));
    }

    private static AgentOptions Agent(params string[] variables)
    {
        var agent = new AgentOptions();
        foreach (var name in variables) agent.Environment[name] = "sk-ant-given-to-the-agent";
        return agent;
    }

    [Fact]
    public void LocalBehindTheProxy_WithTheServiceKey_IsFine_AndTheAgentGetsThePlaceholder()
    {
        var access = Access();
        var run = new RunRecord { RunId = "abc123", Deadline = DateTimeOffset.UnixEpoch };

        var environment = access.Environment(new IssueKey("o", "r", 1), run, DateTimeOffset.UnixEpoch).ToDictionary();

        Assert.Null(access.Problem(Agent()));
        Assert.Equal(EgressEndpoint.PlaceholderApiKey, environment["ANTHROPIC_API_KEY"]);
        Assert.Equal("http://127.0.0.1:3128/model", environment["ANTHROPIC_BASE_URL"]);
        Assert.DoesNotContain("sk-ant-service", string.Join(' ', environment.Values));
    }

    [Theory]
    [InlineData("ANTHROPIC_API_KEY")]
    [InlineData("anthropic_auth_token")]
    [InlineData("ANTHROPIC_BASE_URL")]
    [InlineData("CLAUDE_CODE_OAUTH_TOKEN")]
    public void ModelCredentialInTheAgentsEnvironment_WithARelay_IsRefused(string variable) =>
        Assert.Contains("Set Agent:ModelApiKey instead", Access().Problem(Agent(variable)), StringComparison.Ordinal);

    [Fact]
    public void ServiceKey_WithTheHostNetwork_IsRefused_ForItCouldOnlyBeHandedToTheAgent() =>
        Assert.Contains("could only be handed to the agent", Access(network: NetworkOptions.Host).Problem(Agent()), StringComparison.Ordinal);

    [Fact]
    public void ServiceKey_WithDaytonaButNoPublicUrl_IsRefused() =>
        Assert.Contains("needs Gateway:PublicUrl", Access(provider: SandboxOptions.Daytona).Problem(Agent()), StringComparison.Ordinal);

    [Fact]
    public void ServiceKey_WithDaytonaAndAPublicUrl_GivesARelayTokenForTheRunAlone()
    {
        var access = Access(provider: SandboxOptions.Daytona, publicUrl: new Uri("https://agents.example.com"));
        var run = new RunRecord { RunId = "abc123", Deadline = DateTimeOffset.UnixEpoch.AddHours(1) };

        var url = access.Environment(new IssueKey("o", "r", 1), run, DateTimeOffset.UnixEpoch).ToDictionary()["ANTHROPIC_BASE_URL"];

        Assert.Null(access.Problem(Agent()));
        Assert.StartsWith("https://agents.example.com/api/model-relay/v1.", url);
        var grant = new ModelRelayTokens(Options.Create(new ModelApiOptions { ModelApiKey = "sk-ant-service" })).Verify(url.Split('/')[^1], DateTimeOffset.UnixEpoch);
        Assert.Equal((new IssueKey("o", "r", 1), "abc123"), (grant!.Issue, grant.RunId));
    }

    [Fact]
    public void NoServiceKey_TheAgentMayBringItsOwn_WhereNoRelayExists()
    {
        Assert.Null(Access(provider: SandboxOptions.Daytona, key: null).Problem(Agent("ANTHROPIC_API_KEY")));
        Assert.Null(Access(network: NetworkOptions.Host, key: null).Problem(Agent("ANTHROPIC_API_KEY")));
    }
}
