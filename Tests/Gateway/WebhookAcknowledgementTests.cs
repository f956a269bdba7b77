using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

/// <summary>
/// What GitHub counts as delivered: every signed delivery of an event the service does not act on gets 2xx, whether
/// or not Octokit.Webhooks has a model for it; a bad signature stays 401 and a malformed event we act on stays 400.
/// </summary>
public sealed class WebhookAcknowledgementTests : IAsyncLifetime
{
    private const string Secret = "acknowledgement-secret";

    private WebhookIntakeHost _host = null!;

    public async Task InitializeAsync() => _host = await WebhookIntakeHost.StartAsync(Secret);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string> NotActedOn => new()
    {
        { "ping", "ping.with-app_id" },
        { "check_run", "check_run.completed" },
        { "pull_request", "pull_request.opened" },
        { "pull_request", "pull_request.closed" },
        { "installation", "installation.created" },
        { "installation_repositories", "installation_repositories.added" },
        { "issues", "issues.opened" },
        { "issue_comment", "issue_comment.edited" },
        // Event types Octokit.Webhooks has no model for (a new one GitHub adds, or a star sent with another's body).
        { "a_future_event", "check_run.completed" },
        { "star", "issues.opened" },
    };

    [Theory]
    [MemberData(nameof(NotActedOn))]
    public async Task Post_SignedEventNotActedOn_200_AndNotParsed(string eventName, string file)
    {
        var body = Encoding.UTF8.GetBytes(Payloads.Load(file).ToJsonString());

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Not an event this service acts on; acknowledged.", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Processor.Events);
    }

    [Fact]
    public async Task Post_SignedActionGitHubAddsLater_200()
    {
        var payload = Payloads.Load("issues.labeled");
        payload["action"] = "frobnicated";
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery("issues", body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("a_future_event")]
    [InlineData("issues")]
    public async Task Post_WrongSignature_StillRefused401(string eventName)
    {
        var body = Encoding.UTF8.GetBytes(Payloads.Load("check_run.completed").ToJsonString());

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute("guessed", body)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("issues", "{\"action\":\"labeled\",\"issue\":\"not an issue\"}")]
    [InlineData("issue_comment", "{\"action\":\"created\",\"comment\":[1,2]}")]
    [InlineData("installation", "{\"action\":\"deleted\",\"installation\":7}")]
    [InlineData("issues", "not json at all")]
    public async Task Post_SignedMalformedEventWeActOn_400(string eventName, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_host.Processor.Events);
    }

    /// <summary>Sets the value at a dotted <paramref name="path"/> of the payload (null for none).</summary>
    private static byte[] Tweaked(string file, string? path, string? value)
    {
        var payload = Payloads.Load(file);
        if (path is not null)
        {
            var names = path.Split('.');
            var parent = names[..^1].Aggregate((JsonNode)payload, (node, name) => node[name]!);
            parent[names[^1]] = value;
        }

        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    [Theory]
    [InlineData("issues", "issues.labeled", "label.name", "agent")]
    [InlineData("issue_comment", "issue_comment.created", "comment.body", "/agent run")]
    [InlineData("installation", "installation.deleted", null, null)]
    [InlineData("installation", "installation.suspend", null, null)]
    [InlineData("installation", "installation.unsuspend", null, null)]
    [InlineData("installation_repositories", "installation_repositories.removed", null, null)]
    [InlineData("pull_request_review", "pull_request_review.submitted", "review.state", "changes_requested")]
    [InlineData("pull_request_review", "pull_request_review.submitted.2", "review.body", "Please rename it.")]
    [InlineData("pull_request_review_comment", "pull_request_review_comment.created.2", null, null)]
    [InlineData("check_suite", "check_suite.completed", "check_suite.conclusion", "failure")]
    [InlineData("check_suite", "check_suite.completed.2", "check_suite.conclusion", "timed_out")]
    [InlineData("workflow_run", "workflow_run.completed", "workflow_run.conclusion", "failure")]
    [InlineData("pull_request", "pull_request.synchronize", null, null)]
    public async Task Post_SignedEventThatMayBeACommand_ReachesTheProcessor(string eventName, string file, string? path, string? value)
    {
        var body = Tweaked(file, path, value);

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_host.Processor.Events);
    }

    [Theory]
    [InlineData("issues", "issues.labeled", "label.name", "bug")]
    [InlineData("issue_comment", "issue_comment.created", "comment.body", "Thanks, looks good!")]
    [InlineData("pull_request_review", "pull_request_review.submitted", "review.state", "approved")]
    [InlineData("pull_request_review", "pull_request_review.submitted.2", "review.body", " \n\t ")]
    [InlineData("check_suite", "check_suite.completed", "check_suite.conclusion", "success")]
    [InlineData("workflow_run", "workflow_run.completed", "workflow_run.conclusion", "cancelled")]
    public async Task Post_SignedEventActedOnThatAsksNothing_200Empty_NotParsed(string eventName, string file, string path, string value)
    {
        var body = Tweaked(file, path, value);

        var response = await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(_host.Processor.Events);
    }
}
