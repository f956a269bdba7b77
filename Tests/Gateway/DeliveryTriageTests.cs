using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>The decision from a delivery's bytes, before any model is built: what it ignores, the routers ignore too.</summary>
public sealed class DeliveryTriageTests
{
    private const string OwnApp = "sandbox-agents[bot]";
    private static readonly TriggerOptions Triggers = new();
    private static readonly TriageRules Rules = TriageRules.From(Triggers, new GitHubAppOptions { AppSlug = "sandbox-agents" });

    private static Triage Decide(string eventName, JsonObject payload) =>
        DeliveryTriage.Decide(eventName, Encoding.UTF8.GetBytes(payload.ToJsonString()), Rules);

    private static Triage Decide(string eventName, string json) => DeliveryTriage.Decide(eventName, Encoding.UTF8.GetBytes(json), Rules);

    private static JsonObject Comment(string body, string sender = "Alice", string senderType = "User") =>
        Payloads.For("issue_comment.created", "octo/widgets", 7, sender: sender, comment: body, senderType: senderType);

    [Theory]
    [InlineData("/agent run", TriageOutcome.Route)]
    [InlineData("\r\n  /Agent cancel", TriageOutcome.Route)]
    [InlineData("/agent \"quoted\" \\ and escaped", TriageOutcome.Route)]
    [InlineData("Thanks, I'll look at /agent later", TriageOutcome.Ignored)]
    [InlineData("/agentic", TriageOutcome.Ignored)]
    public void Decide_IssueComment_RoutesOnlyCommands(string body, TriageOutcome outcome) =>
        Assert.Equal(outcome, Decide("issue_comment", Comment(body)).Outcome);

    [Fact]
    public void Decide_LongEscapedCommand_Routes() =>
        Assert.Equal(TriageOutcome.Route, Decide("issue_comment", Comment("\n/agent run\n" + string.Concat(Enumerable.Repeat("line\n", 500)))).Outcome);

    [Theory]
    [InlineData("renovate[bot]", "Bot")]
    [InlineData("Sandbox-Agents[bot]", "User")]
    public void Decide_CommandFromABotOrOurOwnApp_Ignored(string sender, string type) =>
        Assert.Equal(TriageOutcome.Ignored, Decide("issue_comment", Comment("/agent run", sender, type)).Outcome);

    [Theory]
    [InlineData("issues.labeled", "agent", TriageOutcome.Route)]
    [InlineData("issues.labeled", "AGENT", TriageOutcome.Route)]
    [InlineData("issues.labeled", "bug", TriageOutcome.Ignored)]
    [InlineData("issues.unlabeled", "agent", TriageOutcome.Route)]
    [InlineData("issues.unlabeled", "bug", TriageOutcome.Ignored)]
    public void Decide_Label_RoutesOnlyTheTrigger(string file, string label, TriageOutcome outcome) =>
        Assert.Equal(outcome, Decide("issues", Payloads.For(file, "octo/widgets", 7, label: label)).Outcome);

    [Theory]
    [InlineData("changes_requested", "", TriageOutcome.Route)]
    [InlineData("CHANGES_REQUESTED", null, TriageOutcome.Route)]
    [InlineData("commented", "Rename it.", TriageOutcome.Route)]
    [InlineData("commented", " \n ", TriageOutcome.Ignored)]
    [InlineData("commented", null, TriageOutcome.Ignored)]
    [InlineData("approved", "LGTM", TriageOutcome.Ignored)]
    public void Decide_Review_RoutesOnlyFeedback(string state, string? body, TriageOutcome outcome)
    {
        var payload = PullRequestPayloads.For("pull_request_review.submitted");
        payload["review"]!["state"] = state;
        payload["review"]!["body"] = body;

        Assert.Equal(outcome, Decide("pull_request_review", payload).Outcome);
    }

    [Theory]
    [InlineData("check_suite", "check_suite.completed", "success", TriageOutcome.Ignored)]
    [InlineData("check_suite", "check_suite.completed", null, TriageOutcome.Ignored)]
    [InlineData("check_suite", "check_suite.completed", "failure", TriageOutcome.Route)]
    [InlineData("workflow_run", "workflow_run.completed", "neutral", TriageOutcome.Ignored)]
    [InlineData("workflow_run", "workflow_run.completed", "startup_failure", TriageOutcome.Route)]
    public void Decide_Check_RoutesOnlyFailures(string eventName, string file, string? conclusion, TriageOutcome outcome)
    {
        var payload = PullRequestPayloads.For(file, sender: "github-actions[bot]", senderType: "Bot");
        payload[eventName]!["conclusion"] = conclusion;

        Assert.Equal(outcome, Decide(eventName, payload).Outcome);
    }

    [Theory]
    [InlineData("pull_request", "pull_request.synchronize")]
    [InlineData("installation", "installation.deleted")]
    [InlineData("installation_repositories", "installation_repositories.removed")]
    [InlineData("issues", "issues.labeled.with-organization")]
    public void Decide_AlwaysACall_Routes(string eventName, string file)
    {
        var payload = Payloads.Load(file);
        if (payload["label"] is JsonObject label) label["name"] = "agent";

        Assert.Equal(TriageOutcome.Route, Decide(eventName, payload).Outcome);
    }

    [Theory]
    [InlineData("star", "not even json")]
    [InlineData("issues", """{"action":"opened","issue":"not an issue"}""")]
    [InlineData("issues", """{"action":"opened", garbage""")]
    [InlineData("issue_comment", """{"issue":7,"action":"edited"}""")]
    public void Decide_EventOrActionNotActedOn_NotActedOnUnread(string eventName, string json) =>
        Assert.Equal(TriageOutcome.NotActedOn, Decide(eventName, json).Outcome);

    [Theory]
    [InlineData("issues", "not json at all")]
    [InlineData("issues", "[1,2]")]
    [InlineData("issues", """{"issue":{}}""")]
    [InlineData("issues", """{"action":7}""")]
    [InlineData("issues", """{"action":"labeled","issue":"not an issue"}""")]
    [InlineData("issues", """{"action":"labeled","label":{"name":3}}""")]
    [InlineData("issue_comment", """{"action":"created","comment":[1,2]}""")]
    [InlineData("issue_comment", """{"action":"created","comment":{"body":{"text":"/agent run"}}}""")]
    [InlineData("issue_comment", """{"action":"created","sender":{"login":"a","type":1}}""")]
    [InlineData("issue_comment", """{"action":"created","comment":{"body":"hi"}} trailing""")]
    [InlineData("issue_comment", """{"action":"created","comment":{"body":"hi"},"repository":{"id":1,}}""")]
    [InlineData("installation", """{"action":"deleted","installation":7}""")]
    public void Decide_BrokenJsonOrAPickedFieldOfTheWrongType_Malformed(string eventName, string json) =>
        Assert.Equal(TriageOutcome.Malformed, Decide(eventName, json).Outcome);

    [Fact]
    public void Decide_IrrelevantFieldOfTheWrongType_StillIgnored()
    {
        var payload = Comment("Nice work");
        payload["issue"]!["number"] = "seven";
        payload["repository"]!["id"] = new JsonArray();

        Assert.Equal(TriageOutcome.Ignored, Decide("issue_comment", payload).Outcome);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => Payloads.Parse("issue_comment", payload));
    }

    /// <summary>Every acted-on payload on file, with the variations the triage reads, against the routers the processor runs.</summary>
    public static TheoryData<string, string> Variations()
    {
        var data = new TheoryData<string, string>();
        string[] edits =
        [
            "", "comment.body=/agent run", "comment.body=thanks", "comment.body=/agent autofix maybe", "sender.type=Bot",
            "sender.login=" + OwnApp, "label.name=agent", "label.name=bug", "review.state=changes_requested", "review.state=approved",
            "review.body=", "check_suite.conclusion=failure", "check_suite.conclusion=success", "workflow_run.conclusion=failure",
        ];
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Payloads"), "*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (ActedOnEvents.ActionsOf(name.Split('.')[0]) is null) continue;
            foreach (var edit in edits) data.Add(name, edit);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Variations))]
    public void Decide_Ignored_OnlyWhenTheRoutersIgnoreToo(string file, string edit)
    {
        var eventName = file.Split('.')[0];
        var payload = Payloads.Load(file);
        if (edit.Split('=', 2) is [var path, var value] && path.Split('.') is [var container, var field] && payload[container] is JsonObject target)
            target[field] = value;

        var triage = Decide(eventName, payload);
        if (triage.Outcome is TriageOutcome.NotActedOn or TriageOutcome.Malformed) return;

        var delivery = Payloads.Parse(eventName, payload);
        var routed = InstallationEventRouter.Route(delivery, "d") is not null
            || (PullRequestEventRouter.Route(delivery, "d", Triggers, OwnApp) is { } onPullRequest
                ? onPullRequest.Command is not null
                : WebhookCommandRouter.Route(delivery, "d", Triggers, OwnApp).Command is not null);
        if (routed) Assert.Equal(TriageOutcome.Route, triage.Outcome);
    }
}
