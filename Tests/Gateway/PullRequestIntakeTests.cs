using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

/// <summary>A signed delivery about a pull request, through the real intake and the gateway's processor, reaches that pull request's grain.</summary>
public sealed class PullRequestIntakeTests : IAsyncLifetime
{
    private const string Secret = "pull-request-intake-secret";
    private const long Installation = 7;

    private readonly RecordingGrainFactory _grains = new();
    private readonly RecordingPullRequestGrain _pullRequest = new();
    private readonly FakeInstallationGrain _installation = new();
    private WebhookIntakeHost _host = null!;

    public async Task InitializeAsync()
    {
        _grains.Add<IPullRequestGrain>("octo-org/widgets#2", _pullRequest);
        _grains.Add<IInstallationGrain>(Installation.ToString(System.Globalization.CultureInfo.InvariantCulture), _installation);
        _host = await WebhookIntakeHost.StartAsync(Secret, grains: _grains);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> SendAsync(string eventName, JsonObject payload)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        return await _host.Http.SendAsync(WebhookIntakeHost.Delivery(eventName, body, WebhookSignature.Compute(Secret, body)));
    }

    private static JsonObject ChangesRequested()
    {
        var payload = PullRequestPayloads.For("pull_request_review.submitted", installation: Installation);
        payload["review"]!["state"] = "changes_requested";
        return payload;
    }

    [Fact]
    public async Task Post_SignedReview_ReachesThePullRequestsGrain()
    {
        var response = await SendAsync("pull_request_review", ChangesRequested());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.Single(_pullRequest.Commands);
        Assert.Equal((CommandKind.Iterate, CommandSource.Review, "Alice", Installation), (command.Kind, command.Source, command.Actor, command.InstallationId));
        Assert.Equal(new PullRequestSignal(2, "ec26c3e57ca3a959ca5aad62de7213c562f8c821", FeedbackId: 237895671), command.PullRequest);
        Assert.NotNull(command.DeliveryId);
        Assert.DoesNotContain(_grains.Asked, a => a.Interface == typeof(ISandboxGrain));
    }

    [Fact]
    public async Task Post_SignedReview_InstallationSuspended_NotActedOn()
    {
        _installation.Suspended = true;

        var response = await SendAsync("pull_request_review", ChangesRequested());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_pullRequest.Commands);
    }

    [Fact]
    public async Task Post_SignedPush_ReachesThePullRequestsGrain_EvenWhileSuspended()
    {
        _installation.Suspended = true;
        var payload = PullRequestPayloads.For("pull_request.synchronize", sender: "sandbox-agents[bot]", senderType: "Bot", installation: Installation);

        var response = await SendAsync("pull_request", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CommandKind.HeadPushed, Assert.Single(_pullRequest.Commands).Kind);
    }

    [Fact]
    public async Task Post_SignedPassingCheckSuite_AsksNoGrain()
    {
        var response = await SendAsync("check_suite", PullRequestPayloads.For("check_suite.completed", installation: Installation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_grains.Asked);
    }

    private sealed class RecordingPullRequestGrain : IPullRequestGrain
    {
        public ConcurrentQueue<IssueCommand> Commands { get; } = new();

        public Task LinkAsync(string issueKey, string branch) => throw new NotSupportedException("The gateway never links pull requests.");

        public Task<string?> GetIssueAsync() => Task.FromResult<string?>("octo-org/widgets#1");

        public Task<SubmitOutcome> SubmitAsync(IssueCommand command)
        {
            Commands.Enqueue(command);
            return Task.FromResult(SubmitOutcome.Accepted);
        }
    }

    private sealed class FakeInstallationGrain : IInstallationGrain
    {
        public bool Suspended { get; set; }

        public Task<int> ApplyAsync(InstallationChange change) => throw new NotSupportedException("No installation event is sent here.");

        public Task<bool> IsSuspendedAsync() => Task.FromResult(Suspended);
    }
}
