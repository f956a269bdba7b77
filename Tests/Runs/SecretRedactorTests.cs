using Microsoft.Extensions.Configuration;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class SecretRedactorTests
{
    private static SecretRedactor Redactor() => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:Token"] = "configured-token-value",
            ["GitHub:WebhookSecret"] = "webhook-secret-value",
            ["Api:Key"] = "operator-key-value",
            ["Agent:ModelApiKey"] = "model-key-value",
            ["Daytona:ApiKey"] = "daytona-key-value",
            ["Redis:ConnectionString"] = "redis.internal:6380,password=redis-password-value,ssl=true",
            ["Agent:Environment:CUSTOM_SECRET"] = "hunter2-but-longer",
            ["Agent:SetupEnvironment:NPM_TOKEN"] = "npm-registry-token",
            ["Notifications:Webhooks:0:Secret"] = "notification-secret",
        }).Build(),
        [new KnownSecret(() => "generated-webhook-secret")]);

    [Theory]
    [InlineData("token configured-token-value here")]
    [InlineData("secret webhook-secret-value")]
    [InlineData("the generated-webhook-secret leaked")]
    [InlineData("Bearer operator-key-value")]
    [InlineData("x-api-key: model-key-value")]
    [InlineData("dtn daytona-key-value")]
    [InlineData("AUTH redis-password-value")]
    [InlineData("sig notification-secret")]
    [InlineData("env hunter2-but-longer")]
    [InlineData("//registry.npmjs.org/:_authToken=npm-registry-token")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("ghs_abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnop")]
    [InlineData("key sk-ant-api03-abcdefghijkl")]
    [InlineData("https://x-access-token:abc123@github.com/o/r.git")]
    public void Redact_SecretOrTokenShape_IsMasked(string text)
    {
        var redacted = Redactor().Redact(text);

        Assert.Contains("[redacted]", redacted);
        Assert.DoesNotMatch("configured-token|webhook-secret|operator-key|model-key|daytona-key|redis-password|notification-secret|hunter2|npm-registry|ghp_a|ghs_a|github_pat_1|sk-ant-api|abc123", redacted);
    }

    [Fact]
    public void Redact_OrdinaryText_Unchanged() =>
        Assert.Equal("runner: pushed 1 commit(s) to agent/issue-3-ab12", Redactor().Redact("runner: pushed 1 commit(s) to agent/issue-3-ab12"));
}
