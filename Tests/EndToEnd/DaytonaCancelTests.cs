using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

[Collection(DaytonaServiceCollection.Name)]
public sealed class DaytonaCancelTests(DaytonaServiceFixture service)
{
    /// <summary>
    /// A sandbox that never finishes starting holds the grain in a long step. A cancel must still act at once: the
    /// step is aborted (it does not run on to <c>Daytona:StartTimeout</c> and fail), and the sandbox whose create
    /// already went out is found by its labels and deleted.
    /// </summary>
    [Fact]
    public async Task CancelDuringProvisioning_AbortsTheStep_DeletesTheSandbox_AndLeaksNothing()
    {
        service.Daytona.GetsUntilStarted = 1_000_000;
        try
        {
            var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, 701, sender: "maintainer", label: "agent");
            payload["issue"]!["title"] = "Slow to start [nochange]";
            await service.SendWebhookAsync("issues", payload);
            await Eventually.TrueAsync(() => service.Daytona.LiveSandboxes.Any(s => s.Labels.GetValueOrDefault("sandbox-agents.issue") == $"{ServiceFixture.Repository}#701"), "the create went out");
            Assert.Equal("Provisioning", (await service.GetTaskAsync(701))!["state"]!.GetValue<string>());
            var sandbox = service.Daytona.LiveSandboxes.Single(s => s.Labels.GetValueOrDefault("sandbox-agents.issue") == $"{ServiceFixture.Repository}#701");

            var response = await service.OperatorPostAsync($"/api/tasks/{ServiceFixture.Repository}/701/cancel");
            await Eventually.TrueAsync(() => service.Daytona.Requests.Any(r => r.Method == "DELETE" && r.PathAndQuery == $"/api/sandbox/{sandbox.Id}"), "the delete request");

            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            var cancelled = await service.WaitForStateAsync(701, "Cancelled");
            // Had the step run on, it would have failed at the start timeout before the cancel was looked at.
            Assert.Contains(service.Logs.Lines, l => l.Contains($"{ServiceFixture.Repository}#701: a step was aborted to act on a cancel", StringComparison.Ordinal));
            Assert.DoesNotContain(service.Logs.Lines, l => l.Contains($"{ServiceFixture.Repository}#701: run", StringComparison.Ordinal) && l.Contains("step Provisioning failed", StringComparison.Ordinal));
            Assert.Equal(["Queued", "Provisioning", "Cancelled"], cancelled!["history"]![0]!["transitions"]!.AsArray().Select(t => t!["state"]!.GetValue<string>()));
            Assert.Contains(service.Daytona.LiveSandboxes, s => s.Id == sandbox.Id);
        }
        finally
        {
            service.Daytona.GetsUntilStarted = 2;
        }

        // Daytona refuses to delete a sandbox still being created (409); once it has started, the retried delete lands.
        service.Daytona.SettleAll();
        await Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left");
        await Eventually.MatchesAsync(() => service.GetTaskAsync(701), t => t!["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "deletion recorded");
    }
}
