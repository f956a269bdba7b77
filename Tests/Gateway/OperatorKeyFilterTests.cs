using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Tests.Gateway;

public sealed class OperatorKeyFilterTests
{
    private static DefaultHttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null) context.Request.Headers.Authorization = authorization;
        return context;
    }

    [Fact]
    public void NoKeyConfigured_RefusesEveryone_With403AndHowToEnable()
    {
        var problem = Assert.IsType<ProblemHttpResult>(OperatorKeyFilter.Check(Request("Bearer anything").Request, key: null));

        Assert.Equal(403, problem.StatusCode);
        Assert.Contains("Api:Key", problem.ProblemDetails.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer wrong")]
    [InlineData("Basic secret-key")]
    [InlineData("secret-key")]
    public void WrongOrMissingKey_Is401(string? authorization) =>
        Assert.Equal(401, Assert.IsType<ProblemHttpResult>(OperatorKeyFilter.Check(Request(authorization).Request, "secret-key")).StatusCode);

    [Fact]
    public void RightKey_PassesThrough() => Assert.Null(OperatorKeyFilter.Check(Request("Bearer secret-key").Request, "secret-key"));
}
