using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

public sealed class PullRequestEventRouterTests
{
    private const string Sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private const string OwnApp = "sandbox-agents[bot]";
    private static readonly TriggerOptions Triggers = new();
    private static readonly IssueKey PullRequest2 = IssueKey.Parse("octo-org/widgets#2");

    private static PullRequestRouteDecision? Route(string eventName, JsonObject payload, TriggerOptions? triggers = null) =>
        PullRequestEventRouter.Route(Payloads.Parse(eventName, payload), "delivery-7", triggers ?? Triggers, OwnApp);

    /// <summary>A decision with a command for <paramref name="pullRequest"/>, carrying the delivery, the sender and the pull request's number.</summary>
    private static IssueCommand AssertCommand(PullRequestRouteDecision? decision, IssueKey pullRequest, string actor = "Alice")
    {
        Assert.NotNull(decision);
        Assert.Equal(pullRequest, decision.PullRequest);
        var command = Assert.IsType<IssueCommand>(decision.Command);
        Assert.Equal(("delivery-7", actor, pullRequest.Number), (command.DeliveryId, command.Actor, command.PullRequest?.Number));
        Assert.Null(command.Issue);
        return command;
    }

    private static void AssertIgnored(PullRequestRouteDecision? decision, string reason)
    {
        Assert.NotNull(decision);
        Assert.Null(decision.Command);
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    private static JsonObject Review(string state, string? body, string sender = "Alice", string senderType = "User")
    {
        var payload = PullRequestPayloads.For("pull_request_review.submitted.2", sender: sender, senderType: senderType);
        payload["review"]!["state"] = state;
        payload["review"]!["body"] = body;
        return payload;
    }

    [Theory]
    [InlineData("changes_requested", null)]
    [InlineData("changes_requested", "Please split this function.")]
    [InlineData("commented", "Could this use the existing helper?")]
    public void Route_ReviewWithFeedback_Iterates_ReadingTheReviewFromGitHub(string state, string? body)
    {
        var command = AssertCommand(Route("pull_request_review", Review(state, body)), PullRequest2);

        Assert.Equal((CommandKind.Iterate, CommandSource.Review), (command.Kind, command.Source));
        Assert.Equal(new PullRequestSignal(2, Sha, FeedbackId: 237895671), command.PullRequest);
        Assert.Equal((null, null, 1L), (command.Instructions, command.CommentId, command.InstallationId));
    }

    [Theory]
    [InlineData("commented", null, "without a body")]
    [InlineData("commented", "  \n ", "without a body")]
    [InlineData("approved", "LGTM", "approved")]
    [InlineData("dismissed", "Outdated", "dismissed")]
    public void Route_ReviewAskingForNothing_Ignored(string state, string? body, string reason) =>
        AssertIgnored(Route("pull_request_review", Review(state, body)), reason);

    [Theory]
    [InlineData("pull_request_review", "renovate[bot]", "Bot", "is a bot")]
    [InlineData("pull_request_review", OwnApp, "User", "own App")]
    [InlineData("pull_request_review_comment", "copilot[bot]", "Bot", "is a bot")]
    [InlineData("issue_comment", OwnApp, "Bot", "is a bot")]
    [InlineData("issue_comment", "Sandbox-Agents[bot]", "User", "own App")]
    public void Route_FeedbackFromABot_Ignored(string eventName, string sender, string senderType, string reason)
    {
        var payload = eventName switch
        {
            "pull_request_review" => Review("changes_requested", "Fix it", sender, senderType),
            "pull_request_review_comment" => PullRequestPayloads.For("pull_request_review_comment.created.2", sender: sender, senderType: senderType),
            _ => CommentOnPullRequest("/agent run", sender, senderType),
        };

        AssertIgnored(Route(eventName, payload), reason);
    }

    [Fact]
    public void Route_ReviewComment_Iterates_WithTheCommentAndItsCommit()
    {
        var payload = PullRequestPayloads.For("pull_request_review_comment.created.2", installation: 42);
        payload["comment"]!["commit_id"] = "0123456789abcdef0123456789abcdef01234567";

        var command = AssertCommand(Route("pull_request_review_comment", payload), PullRequest2);

        Assert.Equal((CommandKind.Iterate, CommandSource.ReviewComment), (command.Kind, command.Source));
        Assert.Equal(new PullRequestSignal(2, "0123456789abcdef0123456789abcdef01234567", FeedbackId: 284312630), command.PullRequest);
        Assert.Equal(42L, command.InstallationId);
        Assert.Null(command.CommentId);
    }

    private static JsonObject CommentOnPullRequest(string body, string sender = "Alice", string senderType = "User")
    {
        var payload = Payloads.For("issue_comment.created", "Octo-Org/Widgets", 9, sender: sender, comment: body, senderType: senderType);
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/Octo-Org/Widgets/pulls/9" };
        return payload;
    }

    public static TheoryData<string, CommandKind, string?, bool?> PullRequestComments => new()
    {
        // comment, kind, instructions, autofix on
        { "/agent autofix off", CommandKind.Autofix, null, false },
        { "  /Agent AUTOFIX On", CommandKind.Autofix, null, true },
        { "/agent cancel", CommandKind.Cancel, null, null },
        { "/agent stop please", CommandKind.Cancel, null, null },
        { "/agent", CommandKind.Iterate, null, null },
        { "/agent run", CommandKind.Iterate, null, null },
        { "/agent run use the logger here", CommandKind.Iterate, "use the logger here", null },
        { "/agent rename Foo to Bar\nand update the docs", CommandKind.Iterate, "rename Foo to Bar\nand update the docs", null },
        { "/agent autofixes are nice", CommandKind.Iterate, "autofixes are nice", null },
    };

    [Theory]
    [MemberData(nameof(PullRequestComments))]
    public void Route_AgentCommentOnPullRequest_MapsToItsCommand(string body, CommandKind kind, string? instructions, bool? autofixOn)
    {
        var command = AssertCommand(Route("issue_comment", CommentOnPullRequest(body)), IssueKey.Parse("octo-org/widgets#9"));

        Assert.Equal((kind, CommandSource.PullRequestComment), (command.Kind, command.Source));
        Assert.Equal((instructions, 492700400L), (command.Instructions, command.CommentId));
        Assert.Equal(new PullRequestSignal(9, AutofixOn: autofixOn), command.PullRequest);
    }

    [Fact]
    public void Route_AgentCommentWithModel_CarriesIt()
    {
        var command = Route("issue_comment", CommentOnPullRequest("/agent run --model claude-x tidy up"))!.Command!;

        Assert.Equal((CommandKind.Iterate, "claude-x", "tidy up"), (command.Kind, command.Model, command.Instructions));
    }

    [Theory]
    [InlineData("Looks good to me")]
    [InlineData("please /agent run")]
    [InlineData("/agents run")]
    [InlineData("/agent autofix")]
    [InlineData("/agent autofix maybe")]
    public void Route_OtherCommentOnPullRequest_Ignored(string body) =>
        AssertIgnored(Route("issue_comment", CommentOnPullRequest(body)), "not a command");

    [Fact]
    public void Route_CustomCommandPrefix_IsHonouredOnPullRequests() =>
        Assert.Equal(CommandKind.Cancel, Route("issue_comment", CommentOnPullRequest("@bot cancel"), new TriggerOptions { Command = "@bot" })?.Command?.Kind);

    [Theory]
    [InlineData("issues", "issues.labeled")]
    [InlineData("issue_comment", "issue_comment.created")]
    [InlineData("pull_request", "pull_request.opened")]
    [InlineData("pull_request", "pull_request.closed")]
    [InlineData("installation", "installation.deleted")]
    public void Route_NotAboutAPullRequest_LeftToTheIssueRouter(string eventName, string file) =>
        Assert.Null(PullRequestEventRouter.Route(Payloads.Parse(eventName, Payloads.Load(file)), "d", Triggers, OwnApp));

    private static JsonObject CheckSuite(string conclusion, params JsonObject[] pullRequests)
    {
        var payload = PullRequestPayloads.For("check_suite.completed", sender: "github-actions[bot]", senderType: "Bot");
        payload["check_suite"]!["conclusion"] = conclusion;
        payload["check_suite"]!["head_sha"] = Sha;
        payload["check_suite"]!["pull_requests"] = new JsonArray([.. pullRequests]);
        return payload;
    }

    [Theory]
    [InlineData("failure")]
    [InlineData("timed_out")]
    [InlineData("action_required")]
    [InlineData("startup_failure")]
    public void Route_CheckSuiteFailed_AsksForAFix_WhoeverSentIt(string conclusion)
    {
        var decision = Route("check_suite", CheckSuite(conclusion, PullRequestPayloads.PullRequestRef(5)));

        var command = AssertCommand(decision, IssueKey.Parse("octo-org/widgets#5"), actor: "github-actions[bot]");
        Assert.Equal((CommandKind.Fix, CommandSource.CheckSuite), (command.Kind, command.Source));
        // The sample's app has no slug: its name names the checks.
        Assert.Equal(new PullRequestSignal(5, Sha, Checks: "octocoders-linter", Conclusion: conclusion), command.PullRequest);
        Assert.Empty(decision!.AlsoOn);
    }

    [Theory]
    [InlineData("success")]
    [InlineData("neutral")]
    [InlineData("skipped")]
    [InlineData("cancelled")]
    [InlineData("stale")]
    public void Route_CheckSuiteNotFailed_Ignored(string conclusion) =>
        AssertIgnored(Route("check_suite", CheckSuite(conclusion, PullRequestPayloads.PullRequestRef(5))), conclusion);

    [Fact]
    public void Route_CheckSuiteWithAppSlug_NamesTheChecksBySlug()
    {
        var payload = PullRequestPayloads.For("check_suite.completed.2");
        payload["check_suite"]!["conclusion"] = "failure";
        payload["check_suite"]!["pull_requests"] = new JsonArray(PullRequestPayloads.PullRequestRef(3));

        Assert.Equal("github-actions", Route("check_suite", payload)!.Command!.PullRequest!.Checks);
    }

    [Fact]
    public void Route_CheckSuiteOnNoPullRequestOfThisRepository_Ignored()
    {
        AssertIgnored(Route("check_suite", CheckSuite("failure")), "not on a pull request");
        AssertIgnored(Route("check_suite", CheckSuite("failure", PullRequestPayloads.PullRequestRef(5, baseRepositoryId: 999))), "not on a pull request");
    }

    [Fact]
    public void Route_CheckSuiteOnSeveralPullRequests_RoutesTheFirstOfThisRepository_AndNamesTheOthers()
    {
        var decision = Route("check_suite", CheckSuite("failure",
            PullRequestPayloads.PullRequestRef(4, baseRepositoryId: 999), PullRequestPayloads.PullRequestRef(6), PullRequestPayloads.PullRequestRef(8)));

        AssertCommand(decision, IssueKey.Parse("octo-org/widgets#6"), actor: "github-actions[bot]");
        Assert.Equal([8L], decision!.AlsoOn);
    }

    private static JsonObject WorkflowRun(string? conclusion, params JsonObject[] pullRequests)
    {
        var payload = PullRequestPayloads.For("workflow_run.completed", sender: OwnApp, senderType: "Bot");
        payload["workflow_run"]!["status"] = "completed";
        payload["workflow_run"]!["conclusion"] = conclusion;
        payload["workflow_run"]!["name"] = "CI";
        payload["workflow_run"]!["pull_requests"] = new JsonArray([.. pullRequests]);
        return payload;
    }

    [Theory]
    [InlineData("failure")]
    [InlineData("startup_failure")]
    public void Route_WorkflowRunFailed_AsksForAFix_NamingTheWorkflow(string conclusion)
    {
        var command = AssertCommand(Route("workflow_run", WorkflowRun(conclusion, PullRequestPayloads.PullRequestRef(11))), IssueKey.Parse("octo-org/widgets#11"), actor: OwnApp);

        Assert.Equal((CommandKind.Fix, CommandSource.WorkflowRun), (command.Kind, command.Source));
        Assert.Equal(new PullRequestSignal(11, "3484a3fb816e0859fd6e1cea078d76385ff50625", Checks: "CI", Conclusion: conclusion), command.PullRequest);
    }

    [Theory]
    [InlineData("success")]
    [InlineData("cancelled")]
    [InlineData(null)]
    public void Route_WorkflowRunNotFailed_Ignored(string? conclusion) =>
        AssertIgnored(Route("workflow_run", WorkflowRun(conclusion, PullRequestPayloads.PullRequestRef(11))), "concluded");

    [Fact]
    public void Route_WorkflowRunOnNoPullRequest_Ignored() =>
        AssertIgnored(Route("workflow_run", WorkflowRun("failure")), "not on a pull request");

    [Theory]
    [InlineData("Alice", "User")]
    [InlineData(OwnApp, "Bot")]
    public void Route_Synchronize_SaysWhereTheHeadIs_WhoeverPushed(string sender, string senderType)
    {
        var payload = PullRequestPayloads.For("pull_request.synchronize", sender: sender, senderType: senderType);
        payload["number"] = 14;
        payload["pull_request"]!["number"] = 14;
        payload["after"] = "89abcdef0123456789abcdef0123456789abcdef";

        var command = AssertCommand(Route("pull_request", payload), IssueKey.Parse("octo-org/widgets#14"), actor: sender);

        Assert.Equal((CommandKind.HeadPushed, CommandSource.PullRequestPush), (command.Kind, command.Source));
        Assert.Equal(new PullRequestSignal(14, "89abcdef0123456789abcdef0123456789abcdef"), command.PullRequest);
        Assert.Equal(1L, command.InstallationId);
    }
}
