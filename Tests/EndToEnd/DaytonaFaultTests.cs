using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>With Daytona misbehaving in each documented way, every run still ends in the right state with its sandbox gone.</summary>
[Collection(DaytonaServiceCollection.Name)]
public sealed class DaytonaFaultTests(DaytonaServiceFixture service)
{
    private FakeDaytonaServer Daytona => service.Daytona;

    private Task<HttpResponseMessage> LabelAsync(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        return service.SendWebhookAsync("issues", payload);
    }

    private async Task<JsonObject> EndsAsync(int number, string state)
    {
        var done = await service.WaitForStateAsync(number, state);
        await Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left in Daytona");
        await Eventually.MatchesAsync(() => service.GetTaskAsync(number), t => t!["history"]!.AsArray()[^1]!["sandboxDeleted"]!.GetValue<bool>(), "deletion recorded");
        return done;
    }

    [Fact]
    public async Task RateLimited_WithRetryAfterHeaders_RunStillSucceeds()
    {
        Daytona.InjectRateLimit(count: 3, retryAfter: TimeSpan.Zero);

        await LabelAsync(501, "Through the throttle [edit]");

        await EndsAsync(501, "Succeeded");
        Assert.Equal(0, Daytona.PendingFaults);
    }

    [Fact]
    public async Task ServerErrors_OnTheApiAndToolbox_AreRetried_RunStillSucceeds()
    {
        Daytona.InjectServerError(count: 2, statusCode: 503, when: r => r.IsToolbox);
        Daytona.InjectServerError(count: 1, statusCode: 500, when: r => r.Method == "GET" && !r.IsToolbox);

        await LabelAsync(502, "Through the errors [edit]");

        await EndsAsync(502, "Succeeded");
        Assert.Equal(0, Daytona.PendingFaults);
    }

    [Fact]
    public async Task SlowResponses_RunStillSucceeds()
    {
        Daytona.Latency = TimeSpan.FromMilliseconds(150);
        try
        {
            await LabelAsync(503, "Slowly [nochange]");
            await EndsAsync(503, "NoChanges");
        }
        finally
        {
            Daytona.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task SandboxGoesToError_RunFailsWithTheReason()
    {
        Daytona.FailNextCreate("Failed to pull snapshot image");

        await LabelAsync(504, "Never starts [edit]");

        var done = await EndsAsync(504, "Failed");
        Assert.Contains("Failed to pull snapshot image", done["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task SandboxDeletedBehindOurBack_RunFailsTruthfully()
    {
        await LabelAsync(505, "Interrupted [sleep 7505]");
        var running = await service.WaitForStateAsync(505, "Running");

        Daytona.DestroyBehindOurBack(running["sandboxId"]!.GetValue<string>());

        var done = await EndsAsync(505, "Failed");
        Assert.Contains("lost", done["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task QuotaExceeded_RunWaitsQueued_ThenRunsWhenThereIsRoom()
    {
        Daytona.QuotaExceeded = true;
        try
        {
            await LabelAsync(506, "Wait your turn [nochange]");
            var waiting = await Eventually.MatchesAsync(() => service.GetTaskAsync(506),
                t => t?["state"]?.GetValue<string>() == "Queued" && t["history"]![0]!["transitions"]!.AsArray().Count >= 3, "back in the queue");
            Assert.Contains("capacity", waiting!["history"]![0]!["transitions"]!.AsArray()[^1]!["note"]!.GetValue<string>());
            await Eventually.TrueAsync(
                () => service.GitHub.CommentsOn(ServiceFixture.Repository, 506) is [var comment] && comment["body"]!.GetValue<string>().Contains("Waiting for sandbox capacity", StringComparison.Ordinal),
                "one comment, saying so");
        }
        finally
        {
            Daytona.QuotaExceeded = false;
        }

        service.Clock.Advance(TimeSpan.FromMinutes(1));
        await EndsAsync(506, "NoChanges");
    }

    [Fact]
    public async Task WatchedRun_KeepsItsSandboxActive_SoAutoStopNeverHits()
    {
        await LabelAsync(507, "Long watch [sleep 7507]");
        var running = await service.WaitForStateAsync(507, "Running");
        var id = running["sandboxId"]!.GetValue<string>();
        var first = Daytona.Sandbox(id)!.LastActivityAt;

        await Eventually.TrueAsync(() => Daytona.Sandbox(id)!.LastActivityAt > first, "the renewed log follow counts as activity");
        Assert.Equal(30, Daytona.Sandbox(id)!.AutoStopInterval);

        await service.OperatorPostAsync($"/api/tasks/{ServiceFixture.Repository}/507/cancel");
        await EndsAsync(507, "Cancelled");
    }
}
