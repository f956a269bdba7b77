using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class SecretRedactorTests
{
    private static SecretRedactor Redactor()
    {
        var agent = new AgentOptions();
        agent.Environment["CUSTOM_SECRET"] = "hunter2-but-longer";
        return new SecretRedactor(
            Options.Create(new GitHubOptions { Token = "configured-token-value", WebhookSecret = "webhook-secret-value" }),
            Options.Create(agent));
    }

    [Theory]
    [InlineData("token configured-token-value here")]
    [InlineData("secret webhook-secret-value")]
    [InlineData("env hunter2-but-longer")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("ghs_abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop")]
    [InlineData("key sk-ant-api03-abcdefghijkl")]
    [InlineData("https://x-access-token:abc123@github.com/o/r.git")]
    public void Redact_SecretOrTokenShape_IsMasked(string text)
    {
        var redacted = Redactor().Redact(text);

        Assert.Contains("[redacted]", redacted);
        Assert.DoesNotMatch("configured-token-value|webhook-secret-value|hunter2|ghp_a|ghs_a|github_pat_1|sk-ant-api|abc123", redacted);
    }

    [Fact]
    public void Redact_OrdinaryText_Unchanged() =>
        Assert.Equal("runner: pushed 1 commit(s) to agent/issue-3-ab12", Redactor().Redact("runner: pushed 1 commit(s) to agent/issue-3-ab12"));
}
