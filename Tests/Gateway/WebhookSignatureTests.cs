using System.Text;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

public sealed class WebhookSignatureTests
{
    // GitHub's documented test vector (docs: validating-webhook-deliveries).
    private const string Secret = "It's a Secret to Everybody";
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("Hello, World!");

    [Fact]
    public void Compute_GitHubTestVector_MatchesDocumentedSignature() =>
        Assert.Equal(Expected, WebhookSignature.Compute(Secret, Body));

    [Fact]
    public void IsValid_GitHubTestVector_Accepts() => Assert.True(WebhookSignature.IsValid(Secret, Body, Expected));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void IsValid_MalformedOrWrongHeader_Rejects(string? header) =>
        Assert.False(WebhookSignature.IsValid(Secret, Body, header));

    [Fact]
    public void IsValid_OtherSecret_Rejects() => Assert.False(WebhookSignature.IsValid("another secret", Body, Expected));

    [Fact]
    public void IsValid_EmptySecret_RejectsEvenAMatchingSignature() =>
        Assert.False(WebhookSignature.IsValid("", Body, WebhookSignature.Compute("", Body)));

    [Fact]
    public void IsValid_UpperCaseHex_Accepts() => Assert.True(WebhookSignature.IsValid(Secret, Body, "sha256=" + Expected[7..].ToUpperInvariant()));
}
