using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

public sealed class WebhookCommandRouterTests
{
    private static readonly TriggerOptions Triggers = new();

    public static TheoryData<string, string, string?, string?, string, CommandKind?, CommandSource?> Cases => new()
    {
        // event, payload file, label, comment, sender type, expected kind, expected source
        { "issues", "issues.labeled", "agent", null, "User", CommandKind.Run, CommandSource.Label },
        { "issues", "issues.labeled", "AGENT", null, "User", CommandKind.Run, CommandSource.Label },
        { "issues", "issues.labeled", "bug", null, "User", null, null },
        { "issues", "issues.labeled", "agent", null, "Bot", null, null },
        { "issues", "issues.unlabeled", "agent", null, "User", CommandKind.Cancel, CommandSource.LabelRemoved },
        { "issues", "issues.unlabeled", "bug", null, "User", null, null },
        { "issues", "issues.opened", null, null, "User", null, null },
        { "issues", "issues.edited", null, null, "User", null, null },
        { "issues", "issues.assigned", null, null, "User", null, null },
        { "issue_comment", "issue_comment.created", null, "/agent run", "User", CommandKind.Run, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "/agent", "User", CommandKind.Run, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "  /Agent Cancel", "User", CommandKind.Cancel, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "/agent retry", "User", CommandKind.Retry, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "/agent run\nplease add tests", "User", CommandKind.Run, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "/agent dance", "User", CommandKind.Message, CommandSource.Comment },
        { "issue_comment", "issue_comment.created", null, "/agents run", "User", null, null },
        { "issue_comment", "issue_comment.created", null, "please /agent run", "User", null, null },
        { "issue_comment", "issue_comment.created", null, "/agent run", "Bot", null, null },
        { "issue_comment", "issue_comment.edited", null, "/agent run", "User", null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Route_Delivery_MapsToCommandOrIgnores(
        string eventName, string file, string? label, string? comment, string senderType, CommandKind? kind, CommandSource? source)
    {
        var payload = Payloads.For(file, "Octo-Org/Widgets", 12, sender: "Alice", label: label, comment: comment, senderType: senderType);

        var decision = WebhookCommandRouter.Route(Payloads.Parse(eventName, payload), "delivery-1", Triggers);

        Assert.Equal(kind, decision.Command?.Kind);
        Assert.Equal(source, decision.Command?.Source);
        if (kind is not null)
        {
            Assert.Equal(IssueKey.Parse("octo-org/widgets#12"), decision.Issue);
            Assert.Equal("Alice", decision.Command!.Actor);
            Assert.Equal("delivery-1", decision.Command.DeliveryId);
            Assert.Equal(payload["issue"]!["title"]!.GetValue<string>(), decision.Command.Issue!.Title);
        }
    }

    [Theory]
    [InlineData("issues", "issues.labeled", "agent", null)]
    [InlineData("issue_comment", "issue_comment.created", null, "/agent run")]
    public void Route_SentByOurOwnApp_IgnoredWhateverItsType(string eventName, string file, string? label, string? comment)
    {
        var payload = Payloads.For(file, "octo/widgets", 3, sender: "Sandbox-Agents[bot]", label: label, comment: comment, senderType: "User");

        var decision = WebhookCommandRouter.Route(Payloads.Parse(eventName, payload), "d", Triggers, new GitHubAppOptions { AppSlug = "sandbox-agents" }.BotLogin);

        Assert.Null(decision.Command);
        Assert.Contains("own App", decision.Reason);
    }

    [Fact]
    public void Route_IssueClosed_Cancels()
    {
        var payload = Payloads.For("issues.opened", "o/r", 5);
        payload["action"] = "closed";

        var decision = WebhookCommandRouter.Route(Payloads.Parse("issues", payload), "d", Triggers);

        Assert.Equal((CommandKind.Cancel, CommandSource.IssueClosed), (decision.Command!.Kind, decision.Command.Source));
    }

    [Fact]
    public void Route_CommentOnPullRequest_Ignored()
    {
        var payload = Payloads.For("issue_comment.created", "o/r", 5, comment: "/agent run");
        payload["issue"]!["pull_request"] = new System.Text.Json.Nodes.JsonObject { ["url"] = "https://api.github.com/repos/o/r/pulls/5" };

        Assert.Null(WebhookCommandRouter.Route(Payloads.Parse("issue_comment", payload), "d", Triggers).Command);
    }

    [Fact]
    public void Route_Ping_Ignored() =>
        Assert.Null(WebhookCommandRouter.Route(Payloads.Parse("ping", Payloads.Load("ping.payload")), "d", Triggers).Command);

    [Fact]
    public void Route_CustomTriggers_AreHonoured()
    {
        var custom = new TriggerOptions { Label = "robot", Command = "@bot" };
        var labeled = Payloads.For("issues.labeled", "o/r", 1, label: "robot");
        var comment = Payloads.For("issue_comment.created", "o/r", 1, comment: "@bot cancel");

        Assert.Equal(CommandKind.Run, WebhookCommandRouter.Route(Payloads.Parse("issues", labeled), "d", custom).Command?.Kind);
        Assert.Equal(CommandKind.Cancel, WebhookCommandRouter.Route(Payloads.Parse("issue_comment", comment), "d", custom).Command?.Kind);
    }

    [Theory]
    [InlineData("issues", "issues.labeled", 300, 10)]
    [InlineData("issues", "issues.labeled", 10, 70_000)]
    [InlineData("issue_comment", "issue_comment.created", 300, 70_000)]
    public void Route_OverlongTitleOrBody_ReachesTheCommandCappedAtGitHubsLimits(string eventName, string file, int titleLength, int bodyLength)
    {
        var payload = eventName == "issues"
            ? Payloads.For(file, "o/r", 3, label: "agent")
            : Payloads.For(file, "o/r", 3, comment: "/agent run");
        payload["issue"]!["title"] = new string('t', titleLength);
        payload["issue"]!["body"] = new string('b', bodyLength);

        var text = WebhookCommandRouter.Route(Payloads.Parse(eventName, payload), "d", Triggers).Command!.Issue!;

        Assert.Equal(Math.Min(titleLength, IssueText.MaxTitleLength), text.Title.Length);
        Assert.Equal(Math.Min(bodyLength, IssueText.MaxBodyLength), text.Body.Length);
    }

    [Fact]
    public void ParseComment_RunWithInstructions_KeepsThem() =>
        Assert.Equal(new ParsedComment(CommandKind.Run, "use the new API"), WebhookCommandRouter.ParseComment("/agent run use the new API", "/agent"));

    [Theory]
    [InlineData("/agent run --model claude-opus-4-1 fix it well", CommandKind.Run, "claude-opus-4-1", "fix it well")]
    [InlineData("/agent run --model=claude-x", CommandKind.Run, "claude-x", null)]
    [InlineData("/agent --model sonnet\nand the docs", CommandKind.Run, "sonnet", "and the docs")]
    [InlineData("/agent retry --model haiku", CommandKind.Retry, "haiku", null)]
    [InlineData("/agent run --model", CommandKind.Run, "", null)]
    [InlineData("/agent run please use --model x", CommandKind.Run, null, "please use --model x")]
    [InlineData("/agent run --models are fun", CommandKind.Run, null, "--models are fun")]
    [InlineData("/agent cancel --model x", CommandKind.Cancel, null, "--model x")]
    public void ParseComment_ModelFlag_BeforeTheInstructions(string body, CommandKind kind, string? model, string? instructions) =>
        Assert.Equal(new ParsedComment(kind, instructions, model), WebhookCommandRouter.ParseComment(body, "/agent"));

    [Fact]
    public void ParseComment_OverlongModel_IsKeptCappedAndStillRefusable()
    {
        var parsed = WebhookCommandRouter.ParseComment("/agent run --model " + new string('m', 5000), "/agent")!;

        Assert.Equal(ModelName.MaxLength + 1, parsed.Model!.Length);
        Assert.False(ModelName.IsValid(parsed.Model));
    }

    [Fact]
    public void Route_CommentWithModel_CarriesItOnTheCommand()
    {
        var payload = Payloads.For("issue_comment.created", "o/r", 4, comment: "/agent run --model claude-x also the docs");

        var command = WebhookCommandRouter.Route(Payloads.Parse("issue_comment", payload), "d", Triggers).Command!;

        Assert.Equal(("claude-x", "also the docs"), (command.Model, command.Instructions));
    }
}
