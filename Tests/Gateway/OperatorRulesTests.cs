using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Tests.Gateway;

public sealed class OperatorRulesTests
{
    private static readonly ApiOptions Keyed = new() { Key = "secret-key" };

    [Theory]
    [InlineData(OperatorAccess.Read)]
    [InlineData(OperatorAccess.Operator)]
    [InlineData(OperatorAccess.Write)]
    public void NoKeyConfigured_RefusesEveryone_With403AndHowToEnable(OperatorAccess access)
    {
        var refusal = OperatorRules.Check(access, new ApiOptions(), OperatorCredential.None, fromDashboard: true);

        Assert.Equal(403, refusal?.StatusCode);
        Assert.Contains("Api:Key", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoKeyConfigured_Reads_SayHowToOpenThemToo() =>
        Assert.Contains("Api:PublicReads=true", OperatorRules.Check(OperatorAccess.Read, new ApiOptions(), OperatorCredential.None, false)!.Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(OperatorAccess.Read)]
    [InlineData(OperatorAccess.Operator)]
    [InlineData(OperatorAccess.Write)]
    public void KeyConfigured_NoCredential_Is401(OperatorAccess access) =>
        Assert.Equal(401, OperatorRules.Check(access, Keyed, OperatorCredential.None, fromDashboard: true)?.StatusCode);

    [Theory]
    [InlineData(OperatorAccess.Read, OperatorCredential.Bearer, false)]
    [InlineData(OperatorAccess.Read, OperatorCredential.Session, false)]
    [InlineData(OperatorAccess.Operator, OperatorCredential.Session, false)]
    [InlineData(OperatorAccess.Write, OperatorCredential.Bearer, false)]
    [InlineData(OperatorAccess.Write, OperatorCredential.Session, true)]
    public void Admitted(OperatorAccess access, OperatorCredential credential, bool fromDashboard) =>
        Assert.Null(OperatorRules.Check(access, Keyed, credential, fromDashboard));

    [Fact]
    public void Write_WithASessionButNotFromTheDashboard_Is403() =>
        Assert.Equal(403, OperatorRules.Check(OperatorAccess.Write, Keyed, OperatorCredential.Session, fromDashboard: false)?.StatusCode);

    [Theory]
    [InlineData(null)]
    [InlineData("secret-key")]
    public void PublicReads_OpenReadsOnly(string? key)
    {
        var options = new ApiOptions { Key = key, PublicReads = true };

        Assert.Null(OperatorRules.Check(OperatorAccess.Read, options, OperatorCredential.None, false));
        Assert.NotNull(OperatorRules.Check(OperatorAccess.Operator, options, OperatorCredential.None, false));
        Assert.NotNull(OperatorRules.Check(OperatorAccess.Write, options, OperatorCredential.None, true));
    }
}
