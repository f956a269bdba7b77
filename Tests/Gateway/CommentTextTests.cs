using System.Text;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

/// <summary>The byte-level questions give the routers' answers: a command exactly when their string parsers say so.</summary>
public sealed class CommentTextTests
{
    public static TheoryData<string, string> Comments => new()
    {
        { "/agent", "/agent" },
        { "/agent run", "/agent" },
        { "/AGENT Cancel", "/agent" },
        { "  \r\n\t/agent retry", "/agent" },
        { "\u00a0\u2003/agent run", "/agent" },
        { "\u3000/agent\u3000run", "/agent" },
        { "/agent\nplease add tests", "/agent" },
        { "/agents run", "/agent" },
        { "/agent-run", "/agent" },
        { "/agen", "/agent" },
        { "please /agent run", "/agent" },
        { "", "/agent" },
        { "   ", "/agent" },
        { "/agent\ud83d\ude00", "/agent" },
        { "\ud83d\ude00 /agent", "/agent" },
        { "/agent please do it", "/agent please" },
        { "/Agent Please", "/agent please" },
        { "/agent pleased", "/agent please" },
        { "@bot run", "@bot" },
        { "@böt run", "@BÖT" },
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public void IsCommand_AgreesWithBothRouters(string comment, string prefix)
    {
        var routers = WebhookCommandRouter.ParseComment(comment, prefix) is not null;
        Assert.Equal(routers, PullRequestEventRouter.ParseComment(comment, prefix) is not null);

        Assert.Equal(routers, CommentText.IsCommand(Encoding.UTF8.GetBytes(comment), prefix));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(" \r\n\t\u00a0\u2003", false)]
    [InlineData(" x ", true)]
    [InlineData("\ud83d\ude00", true)]
    public void HasText_AgreesWithIsNullOrWhiteSpace(string body, bool expected)
    {
        Assert.Equal(!string.IsNullOrWhiteSpace(body), expected);

        Assert.Equal(expected, CommentText.HasText(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void IsCommand_UndecodableBytes_NotWhiteSpace()
    {
        Assert.False(CommentText.IsCommand([0xFF, .. "/agent run"u8], "/agent"));
        Assert.True(CommentText.IsCommand([.. "/agent"u8, 0x20, 0xFF], "/agent"));
    }
}
