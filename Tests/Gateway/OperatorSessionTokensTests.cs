using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Gateway.Api;

namespace SandboxAgents.Tests.Gateway;

public sealed class OperatorSessionTokensTests
{
    private const string Key = "a-long-operator-key-for-session-tests";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    private OperatorSessionTokens Tokens(string? key = Key, TimeSpan? lifetime = null) =>
        new(Options.Create(new ApiOptions { Key = key, SessionLifetime = lifetime ?? TimeSpan.FromHours(1) }), _clock);

    [Fact]
    public void Issue_IsValid_UntilItExpires()
    {
        var tokens = Tokens();
        var (token, expires) = tokens.Issue()!.Value;

        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromHours(1), expires);
        Assert.True(tokens.IsValid(token));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True(tokens.IsValid(token));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(tokens.IsValid(token));
    }

    [Fact]
    public void Token_NeitherIsNorContainsTheKey_AndDiffersEachTime()
    {
        var tokens = Tokens();
        var first = tokens.Issue()!.Value.Token;
        var second = tokens.Issue()!.Value.Token;

        Assert.DoesNotContain(Key, first, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Key)), first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void AnotherKey_OrAnotherGatewayWithTheSameKey()
    {
        var token = Tokens().Issue()!.Value.Token;

        Assert.True(Tokens().IsValid(token));
        Assert.False(Tokens("the-key-after-rotation").IsValid(token));
        Assert.False(Tokens(key: null).IsValid(token));
        Assert.Null(Tokens(key: null).Issue());
    }

    [Fact]
    public void Forged_AreRefused()
    {
        var tokens = Tokens();
        var token = tokens.Issue()!.Value.Token;
        var parts = token.Split('.');
        var later = _clock.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds();
        var mac = parts[3].ToCharArray();
        mac[5] = mac[5] == 'A' ? 'B' : 'A';

        Assert.False(tokens.IsValid($"{parts[0]}.{later}.{parts[2]}.{parts[3]}"));
        Assert.False(tokens.IsValid($"{parts[0]}.{parts[1]}.{parts[2]}.{new string(mac)}"));
        Assert.False(tokens.IsValid($"v2.{parts[1]}.{parts[2]}.{parts[3]}"));
        Assert.False(tokens.IsValid(Key));
        Assert.False(tokens.IsValid(""));
        Assert.False(tokens.IsValid(null));
        Assert.False(tokens.IsValid("v1.x.y.z"));
    }

    [Fact]
    public void ShorterLifetime_EndsLongerSessions()
    {
        var token = Tokens(lifetime: TimeSpan.FromDays(7)).Issue()!.Value.Token;

        Assert.False(Tokens(lifetime: TimeSpan.FromHours(1)).IsValid(token));
    }
}
