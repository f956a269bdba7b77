using System.Net;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The end-to-end cases, run once per sandbox provider by the subclasses.</summary>
public abstract class WebhookToPullRequestTests(ServiceFixture service)
{
    private static JsonObject Labeled(int number, string title, string sender = "maintainer")
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: sender, label: "agent");
        payload["issue"]!["title"] = title;
        payload["issue"]!["body"] = "The README says 'Teh widgets'.";
        return payload;
    }

    private static JsonObject Comment(int number, string body, string sender = "maintainer") =>
        Payloads.For("issue_comment.created", ServiceFixture.Repository, number, sender: sender, comment: body);

    private IReadOnlyList<JsonObject> Comments(int number) => service.GitHub.CommentsOn(ServiceFixture.Repository, number);

    private Task WaitForSandboxesGoneAsync() => Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left");

    [Fact]
    public async Task LabeledIssue_AgentEdits_PushesBranch_OpensOnePullRequest_FinalisesOneComment()
    {
        var response = await service.SendWebhookAsync("issues", Labeled(101, "Fix teh typo [edit]"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var done = await service.WaitForStateAsync(101, "Succeeded");
        var branch = done["branch"]!.GetValue<string>();
        Assert.StartsWith("agent/issue-101-", branch);
        Assert.Contains(branch, service.Git.Branches());
        Assert.Contains("Fixed by the agent.", service.Git.Show(branch, "README.md"));
        Assert.DoesNotContain(FakeGitHubServer.Token, service.Git.Config());

        var pull = Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == branch);
        Assert.Contains("Closes #101", pull["body"]!.GetValue<string>());
        Assert.Contains("Appended a line to README.md", pull["body"]!.GetValue<string>());
        Assert.True(pull["draft"]!.GetValue<bool>());
        Assert.Equal("main", pull["base"]!["ref"]!.GetValue<string>());
        Assert.Equal(pull["html_url"]!.GetValue<string>(), done["pullRequestUrl"]!.GetValue<string>());

        Assert.Contains($"issue:{ServiceFixture.Repository}#101:eyes", service.GitHub.Reactions.Keys);
        var comment = await service.FinalCommentAsync(101, pull["html_url"]!.GetValue<string>());
        Assert.True(comment["edits"]!.GetValue<int>() >= 1);
        await WaitForSandboxesGoneAsync();
        // The sandbox is gone once the delete call returns; the grain records it a moment later.
        await Eventually.MatchesAsync(() => service.GetTaskAsync(101), t => t!["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "deletion recorded");
    }

    [Fact]
    public async Task AgentChangesNothing_EndsNoChanges_WithoutPullRequest()
    {
        await service.SendWebhookAsync("issues", Labeled(102, "Check the README [nochange]"));

        var done = await service.WaitForStateAsync(102, "NoChanges");
        await WaitForSandboxesGoneAsync();

        Assert.DoesNotContain(done["branch"]!.GetValue<string>(), service.Git.Branches());
        Assert.DoesNotContain(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == done["branch"]!.GetValue<string>());
        await service.FinalCommentAsync(102, "without changes");
    }

    [Fact]
    public async Task AgentFails_EndsFailed_WithTheReasonOnTheIssue()
    {
        await service.SendWebhookAsync("issues", Labeled(103, "Rewrite the build [fail]"));

        var done = await service.WaitForStateAsync(103, "Failed");
        await WaitForSandboxesGoneAsync();

        var error = done["error"]!.GetValue<string>();
        Assert.Equal("The agent reported an error: Could not understand the build (error_during_execution, exit code 1).", error);
        await service.FinalCommentAsync(103, error);
    }

    [Fact]
    public async Task CancelComment_WhileRunning_KillsTheAgent_DeletesTheSandbox()
    {
        const string marker = "7104";
        await service.SendWebhookAsync("issues", Labeled(104, $"Take forever [sleep {marker}]"));
        await service.WaitForStateAsync(104, "Running");
        await Eventually.TrueAsync(() => AgentProcesses(marker).Count == 2, "the agent and its child are running");

        var cancel = Comment(104, "/agent cancel");
        var response = await service.SendWebhookAsync("issue_comment", cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(() => service.GitHub.Reactions.ContainsKey($"comment:{cancel["comment"]!["id"]}:eyes"), "the 👀 on the cancel comment");

        var done = await service.WaitForStateAsync(104, "Cancelled");
        Assert.Contains("@maintainer", done["error"]!.GetValue<string>());
        await Eventually.TrueAsync(() => AgentProcesses(marker).Count == 0, "every process of the sandbox is gone");
        await Eventually.MatchesAsync(() => service.GetTaskAsync(104), t => t!["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "deletion recorded");
        await WaitForSandboxesGoneAsync();
        var comment = Assert.Single(Comments(104));
        await Eventually.TrueAsync(() => comment["body"]!.GetValue<string>().Contains("Cancelled", StringComparison.Ordinal), "the comment says so");
    }

    [Fact]
    public async Task RunPastTheTimeLimit_EndsTimedOut_DeletesTheSandbox()
    {
        const string marker = "7105";
        await service.SendWebhookAsync("issues", Labeled(105, $"Take forever [sleep {marker}]"));
        await service.WaitForStateAsync(105, "Running");

        // Past the deadline, the wrap-up grace and the runner's minute to commit: the run ends at the next tick.
        service.Clock.Advance(ServiceFixture.AgentTimeout + new SandboxAgents.Runs.AgentOptions().WrapUpGrace + TimeSpan.FromMinutes(1));

        var done = await service.WaitForStateAsync(105, "TimedOut");
        Assert.Contains("time limit", done["error"]!.GetValue<string>());
        await Eventually.TrueAsync(() => AgentProcesses(marker).Count == 0, "every process of the sandbox is gone");
        await WaitForSandboxesGoneAsync();
        var comment = Assert.Single(Comments(105));
        await Eventually.TrueAsync(() => comment["body"]!.GetValue<string>().Contains("Timed out", StringComparison.Ordinal), "the comment says so");
    }

    [Fact]
    public async Task SameDeliveryTwice_StartsOneRun()
    {
        var payload = Labeled(106, "Check twice [nochange]");

        var first = await service.SendWebhookAsync("issues", payload, deliveryId: "delivery-106");
        var second = await service.SendWebhookAsync("issues", payload, deliveryId: "delivery-106");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        var done = await service.WaitForStateAsync(106, "NoChanges");
        Assert.Single(done["history"]!.AsArray());
        await service.FinalCommentAsync(106, "without changes");
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task UnsignedOrWronglySignedDelivery_Gets401_AndStartsNothing(bool withHeader, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = JsonContent(Labeled(107, "Sneaky [edit]")) };
        request.Headers.Add("X-GitHub-Event", "issues");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (withHeader) request.Headers.Add("X-Hub-Signature-256", signature);

        var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await service.GetTaskAsync(107));
        Assert.Empty(Comments(107));
    }

    [Fact]
    public async Task SignedButMalformedPayload_Gets400()
    {
        var response = await service.SendWebhookAsync("issues", new JsonObject { ["action"] = "labeled", ["issue"] = "not an object" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ping_Gets200()
    {
        var response = await service.SendWebhookAsync("ping", Payloads.Load("ping.payload"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SenderWithReadPermission_StartsNothing()
    {
        service.GitHub.Permissions["reader"] = "read";

        await service.SendWebhookAsync("issues", Labeled(108, "Let me in [edit]", sender: "reader"));
        // Commands are handled in order: once the writer's run exists, the reader's was decided.
        var writer = Comment(108, "/agent run", sender: "writer");
        writer["issue"]!["title"] = "Let me in [nochange]";
        await service.SendWebhookAsync("issue_comment", writer);
        var run = await service.WaitForStateAsync(108, "NoChanges");

        var history = Assert.Single(run["history"]!.AsArray());
        Assert.Equal("writer", history!["requestedBy"]!.GetValue<string>());
        Assert.Contains(service.GitHub.Requests, r => r.PathAndQuery.EndsWith("/collaborators/reader/permission", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TaskApi_UnknownIssue_Is404_BadKey_Is400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync(new Uri("/api/tasks/octo/widgets/999", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.GetAsync(new Uri("/api/tasks/octo/widgets/abc", UriKind.Relative))).StatusCode);
    }

    private static ByteArrayContentWithType JsonContent(JsonObject payload) => new(payload.ToJsonString());

    /// <summary>Processes anywhere on the host running the scripted agent's <c>sleep {marker}</c>.</summary>
    [Fact]
    public async Task AgentAsksTheModel_ReachesItThroughTheService_WhichAddsItsKey()
    {
        await service.SendWebhookAsync("issues", Labeled(110, "Ask the model [model]"));

        var done = await service.WaitForStateAsync(110, "Succeeded");
        var branch = done["branch"]!.GetValue<string>();
        var seen = Assert.Single(service.Model.Requests, r => r.BodyText.Contains("claude-test", StringComparison.Ordinal));

        Assert.Contains("\"text\":\"hello\"", service.Git.Show(branch, "model-answer.txt"));
        Assert.Equal(ServiceFixture.AnthropicKey, seen.Headers["x-api-key"]);
        Assert.EndsWith("/v1/messages", seen.Target);
        Assert.All(service.Model.Requests, r => Assert.Equal(ServiceFixture.AnthropicKey, r.Headers["x-api-key"]));
        Assert.DoesNotContain(ServiceFixture.AnthropicKey, service.Git.Show(branch, "model-url.txt"));
    }

    private static List<int> AgentProcesses(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                if (commandLine == $"sleep {marker}") found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        return found;
    }

    private sealed class ByteArrayContentWithType : ByteArrayContent
    {
        public ByteArrayContentWithType(string json) : base(System.Text.Encoding.UTF8.GetBytes(json)) =>
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }
}

[Collection(LocalServiceCollection.Name)]
public sealed class LocalWebhookToPullRequestTests(LocalServiceFixture service) : WebhookToPullRequestTests(service);

[Collection(DaytonaServiceCollection.Name)]
public sealed class DaytonaWebhookToPullRequestTests(DaytonaServiceFixture service) : WebhookToPullRequestTests(service)
{
    /// <summary>The relay token a Daytona sandbox held is worth nothing once its run has ended, nor is a forged one.</summary>
    [Fact]
    public async Task RelayToken_AfterTheRunEnded_OrForged_IsRefused()
    {
        var labeled = Payloads.For("issues.labeled", ServiceFixture.Repository, 111, sender: "maintainer", label: "agent");
        labeled["issue"]!["title"] = "Ask the model [model]";
        await service.SendWebhookAsync("issues", labeled);
        var done = await service.WaitForStateAsync(111, "Succeeded");
        var relay = service.Git.Show(done["branch"]!.GetValue<string>(), "model-url.txt").Trim();
        var before = service.Model.Requests.Count;
        using var http = new HttpClient();

        using var ended = await http.PostAsync(new Uri(relay + "/v1/messages"), new StringContent("{}"));
        var forged = relay[..^4] + (relay[^4..] == "AAAA" ? "BBBB" : "AAAA");
        using var tampered = await http.PostAsync(new Uri(forged + "/v1/messages"), new StringContent("{}"));

        Assert.StartsWith(service.Http.BaseAddress!.ToString().TrimEnd('/') + "/api/model-relay/v1.", relay);
        Assert.Equal(HttpStatusCode.Forbidden, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(before, service.Model.Requests.Count);
    }
}
