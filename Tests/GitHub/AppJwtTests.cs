using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.GitHub;
using SandboxAgents.GitHub.App;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.GitHub;

public sealed class AppJwtTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_SignsRs256_WithIatAMinuteBackExpWithinTenMinutesAndTheAppAsIssuer()
    {
        using var app = new FakeGitHubApp();
        using var jwt = new AppJwt(Options.Create(new GitHubOptions { AppId = FakeGitHubApp.Id, PrivateKey = app.PrivateKeyPem }), new FakeTimeProvider(Now));

        var parts = jwt.Create().Split('.');

        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        Assert.True(app.Verify(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2])));
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal(Now.AddSeconds(-60).ToUnixTimeSeconds(), claims["iat"]!.GetValue<long>());
        Assert.Equal(Now.AddMinutes(9).ToUnixTimeSeconds(), claims["exp"]!.GetValue<long>());
        Assert.True(claims["exp"]!.GetValue<long>() - Now.ToUnixTimeSeconds() <= 600);
        Assert.Equal(FakeGitHubApp.Id, claims["iss"]!.GetValue<string>());
    }

    [Fact]
    public void Create_FollowsTheInjectedClock()
    {
        using var app = new FakeGitHubApp();
        var clock = new FakeTimeProvider(Now);
        using var jwt = new AppJwt(Options.Create(new GitHubOptions { AppId = FakeGitHubApp.Id, PrivateKey = app.PrivateKeyPem }), clock);
        clock.Advance(TimeSpan.FromHours(2));

        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Create().Split('.')[1]))!;

        Assert.Equal(Now.AddHours(2).AddSeconds(-60).ToUnixTimeSeconds(), claims["iat"]!.GetValue<long>());
    }
}
