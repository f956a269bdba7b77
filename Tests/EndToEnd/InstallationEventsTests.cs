using System.Net;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The whole service and GitHub's App events: an uninstall ends runs for real, a suspension stops triggers until lifted, unknown events are acknowledged.</summary>
[Collection(LocalServiceCollection.Name)]
public sealed class InstallationEventsTests(LocalServiceFixture service)
{
    private const long InstallationId = 77001;

    private static JsonObject Labeled(int number, string title, long? installation = null)
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        if (installation is { } id) payload["installation"] = new JsonObject { ["id"] = id, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzcwMDE=" };
        return payload;
    }

    private static JsonObject Installation(string file, string selection = "all")
    {
        var payload = Payloads.Load(file);
        payload["installation"]!["id"] = InstallationId;
        payload["installation"]!["account"]!["login"] = ServiceFixture.Repository.Split('/')[0];
        payload["installation"]!["repository_selection"] = selection;
        return payload;
    }

    [Fact]
    public async Task RepositoryUninstalled_ActiveRunCancelled_SandboxDeleted_ReasonInHistory()
    {
        await service.SendWebhookAsync("issues", Labeled(701, "Long job [sleep 7701]"));
        await service.WaitForStateAsync(701, "Running");
        await Eventually.TrueAsync(() => Sandboxes.ProcessTable.CountSleeping("7701") == 2, "the agent and its child are running");
        var uninstall = Installation("installation.deleted", "selected");
        uninstall["repositories"]![0]!["full_name"] = ServiceFixture.Repository;

        var response = await service.SendWebhookAsync("installation", uninstall);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var done = await service.WaitForStateAsync(701, "Cancelled");
        Assert.Equal("Cancelled by @octocat (the GitHub App was uninstalled).", done["error"]!.GetValue<string>());
        var ending = done["history"]!.AsArray()[^1]!["transitions"]!.AsArray()[^1]!;
        Assert.Equal("Cancelled by @octocat (the GitHub App was uninstalled).", ending["note"]!.GetValue<string>());
        await Eventually.TrueAsync(() => Sandboxes.ProcessTable.CountSleeping("7701") == 0, "every process of the sandbox is gone");
        await Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left");
        await Eventually.MatchesAsync(() => service.GetTaskAsync(701), t => t!["history"]!.AsArray()[^1]!["sandboxDeleted"]!.GetValue<bool>(), "the sandbox recorded as deleted");
    }

    [Fact]
    public async Task Suspended_TriggersNotActedOn_UntilUnsuspended()
    {
        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("installation", Installation("installation.suspend"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("issues", Labeled(702, "Long job [sleep 7702]", InstallationId))).StatusCode);

        await Eventually.TrueAsync(() => service.Logs.Lines.Any(l => l.Contains("octo/widgets#702", StringComparison.Ordinal) && l.Contains("is suspended", StringComparison.Ordinal)),
            "the log says the trigger was not acted on");
        Assert.Null(await service.GetTaskAsync(702));

        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("installation", Installation("installation.unsuspend"))).StatusCode);
        await service.SendWebhookAsync("issues", Labeled(702, "Long job [sleep 7702]", InstallationId));

        await service.WaitForStateAsync(702, "Running");
        Assert.Equal(HttpStatusCode.Accepted, (await service.OperatorPostAsync("/api/tasks/octo/widgets/702/cancel")).StatusCode);
        await service.WaitForStateAsync(702, "Cancelled");
        await Eventually.TrueAsync(() => !service.HasLiveSandboxes, "no sandbox left");
    }

    [Theory]
    [InlineData("a_future_event", "check_run.completed")]
    [InlineData("workflow_run", "workflow_run.completed")]
    [InlineData("ping", "ping.with-app_id")]
    public async Task EventNotActedOn_Acknowledged2xx(string eventName, string file)
    {
        var response = await service.SendWebhookAsync(eventName, Payloads.Load(file));

        Assert.True(response.IsSuccessStatusCode, $"{eventName}: {response.StatusCode}");
    }
}
