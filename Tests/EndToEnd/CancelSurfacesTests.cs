using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>Removing the trigger label and closing the issue cancel for real: the agent dies, the sandbox goes, the comment says who and how.</summary>
[Collection(LocalServiceCollection.Name)]
public sealed class CancelSurfacesTests(LocalServiceFixture service)
{
    private async Task StartSleepingRunAsync(int number, string marker)
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = $"Long job [sleep {marker}]";
        await service.SendWebhookAsync("issues", payload);
        await service.WaitForStateAsync(number, "Running");
        await Eventually.TrueAsync(() => Sandboxes.ProcessTable.CountSleeping(marker) == 2, "the agent and its child are running");
    }

    private async Task AssertCancelledAsync(int number, string marker, string how)
    {
        var done = await service.WaitForStateAsync(number, "Cancelled");
        Assert.Contains(how, done["error"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Sandboxes.ProcessTable.CountSleeping(marker) == 0, "every process of the sandbox is gone");
        await Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left");
        var comment = Assert.Single(service.GitHub.CommentsOn(ServiceFixture.Repository, number));
        // The run's error is rendered as untrusted text: who cancelled is named, without a notifying mention.
        var shown = how.Replace("@", "@&#8203;", StringComparison.Ordinal);
        await Eventually.TrueAsync(() => comment["body"]!.GetValue<string>().Contains(shown, StringComparison.Ordinal), "the comment says who and how");
    }

    [Fact]
    public async Task TriggerLabelRemoved_CancelsTheRun()
    {
        await StartSleepingRunAsync(601, "7601");

        await service.SendWebhookAsync("issues", Payloads.For("issues.unlabeled", ServiceFixture.Repository, 601, sender: "triager", label: "agent"));

        await AssertCancelledAsync(601, "7601", "@triager (trigger label removed)");
    }

    [Fact]
    public async Task IssueClosed_CancelsTheRun()
    {
        await StartSleepingRunAsync(602, "7602");
        var closed = Payloads.For("issues.opened", ServiceFixture.Repository, 602, sender: "author");
        closed["action"] = "closed";

        await service.SendWebhookAsync("issues", closed);

        await AssertCancelledAsync(602, "7602", "@author (issue closed)");
    }
}
