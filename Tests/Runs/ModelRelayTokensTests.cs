using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Runs;

public sealed class ModelRelayTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IssueKey Issue = new("octo", "widgets", 7);

    private static ModelRelayTokens Tokens(string key = "sk-ant-service-key") => new(Options.Create(new ModelApiOptions { ModelApiKey = key }));

    [Fact]
    public void Verify_TokenItIssued_GrantsThatRunUntilItExpires()
    {
        var token = Tokens().Issue(Issue, "abc123", Now.AddMinutes(30));

        var grant = Tokens().Verify(token, Now);

        Assert.Equal(new RelayGrant(Issue, "abc123", Now.AddMinutes(30)), grant);
        Assert.Null(Tokens().Verify(token, Now.AddMinutes(30)));
    }

    [Fact]
    public void Verify_TokenSignedWithAnotherModelKey_IsRefused() =>
        Assert.Null(Tokens("sk-ant-other-key").Verify(Tokens().Issue(Issue, "abc123", Now.AddHours(1)), Now));

    [Fact]
    public void Verify_TokenWithChangedClaims_IsRefused()
    {
        var parts = Tokens().Issue(Issue, "abc123", Now.AddHours(1)).Split('.');
        var claims = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"octo/other#7|abc123|{Now.AddHours(1).ToUnixTimeSeconds()}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(Tokens().Verify($"{parts[0]}.{claims}.{parts[2]}", Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1")]
    [InlineData("v1.abc")]
    [InlineData("v2.abc.def")]
    [InlineData("v1.!!!.???")]
    public void Verify_Malformed_IsRefused(string token) => Assert.Null(Tokens().Verify(token, Now));

    [Fact]
    public void Verify_WithoutAModelKey_RefusesEverything() =>
        Assert.Null(Tokens("").Verify(Tokens().Issue(Issue, "abc123", Now.AddHours(1)), Now));
}
