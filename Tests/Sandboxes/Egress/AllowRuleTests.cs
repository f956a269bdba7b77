using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

public sealed class AllowRuleTests
{
    [Theory]
    [InlineData("registry.npmjs.org", "registry.npmjs.org:443", true)]
    [InlineData("registry.npmjs.org", "REGISTRY.npmjs.org.:443", true)]
    [InlineData("registry.npmjs.org", "registry.npmjs.org:80", false)]
    [InlineData("registry.npmjs.org", "evil-registry.npmjs.org:443", false)]
    [InlineData("registry.npmjs.org", "registry.npmjs.org.evil.example:443", false)]
    [InlineData("*.example.org", "a.example.org:443", true)]
    [InlineData("*.example.org", "a.b.example.org:443", true)]
    [InlineData("*.example.org", "example.org:443", false)]
    [InlineData("*.example.org", "badexample.org:443", false)]
    [InlineData("*.example.org:8443", "a.example.org:8443", true)]
    [InlineData("*.example.org:8443", "a.example.org:443", false)]
    [InlineData("git.example.org:22", "git.example.org:22", true)]
    [InlineData("127.0.0.1:9000", "127.0.0.1:9000", true)]
    [InlineData("127.0.0.1:9000", "127.0.0.1:9001", false)]
    [InlineData("127.0.0.1", "127.0.0.1:443", true)]
    [InlineData("127.0.0.1", "127.0.0.1:9000", false)]
    [InlineData("127.0.0.1:9000", "localhost:9000", false)]
    [InlineData("127.0.0.1:9000", "2130706433:9000", true)] // the same address, written as one number
    [InlineData("[::1]:9000", "[::1]:9000", true)]
    [InlineData("[::1]:9000", "[0:0::1]:9000", true)]
    [InlineData("localhost:9000", "127.0.0.1:9000", false)]
    public void Matches_Target_FollowsTheEntry(string entry, string target, bool expected)
    {
        Assert.True(HostPort.TryParse(target, out var parsed));

        Assert.Equal(expected, AllowRule.Parse(entry).Matches(parsed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("*.10.0.0.1")]
    [InlineData("a.*.example.org")]
    [InlineData("exa mple.org")]
    [InlineData("example.org:0")]
    [InlineData("example.org:65536")]
    [InlineData("example.org:https")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[example.org]:443")]
    [InlineData("https://example.org")]
    public void Parse_MalformedEntry_Throws(string entry) =>
        Assert.Throws<FormatException>(() => AllowRule.Parse(entry));

    [Fact]
    public void DefaultAllow_EveryEntryParses_AndGitHubIsNotAmongThem()
    {
        var rules = NetworkOptions.DefaultAllow.Select(AllowRule.Parse).ToList();

        Assert.Contains(rules, r => r.Host == "api.anthropic.com" && r.Port == 443);
        Assert.DoesNotContain(rules, r => r.Host.Contains("github", StringComparison.Ordinal));
        Assert.All(rules, r => Assert.Equal(443, r.Port));
    }
}
