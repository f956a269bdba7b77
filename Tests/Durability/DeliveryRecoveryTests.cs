using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Durability;

/// <summary>
/// The service as a GitHub App, as its own process on its durable default: webhooks GitHub tried while the service
/// was down are redelivered when it starts again, and each event runs once.
/// </summary>
public sealed class DeliveryRecoveryTests : IAsyncLifetime
{
    private ProcessWorld _world = null!;

    public async Task InitializeAsync() => _world = await ProcessWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private async Task<Dictionary<string, string>> AppSettingsAsync()
    {
        var app = _world.GitHub.EnableApp("octo/widgets");
        _world.GitHub.WebhookSecret = ProcessWorld.Secret;
        var key = Path.Combine(_world.Root.FullName, "app.pem");
        await File.WriteAllTextAsync(key, app.PrivateKeyPem);
        var settings = _world.Settings();
        settings.Remove("GitHub:Token");
        settings["GitHub:AppId"] = FakeGitHubApp.Id;
        settings["GitHub:PrivateKeyPath"] = key;
        return settings;
    }

    private static JsonObject Labeled(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", "octo/widgets", number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        payload["installation"] = new JsonObject { ["id"] = FakeGitHubApp.InstallationId, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc3" };
        return payload;
    }

    [Fact]
    public async Task DeliveriesThatFailedWhileDown_AreRedeliveredAtStart_AndEachRunsOnce()
    {
        var settings = await AppSettingsAsync();
        await using (var first = new ServiceProcess(settings))
        {
            await first.StartAsync();
            // The first look only takes note of where the list stands; it is stored once it has been logged.
            await Eventually.TrueAsync(() => first.Output.Contains("Webhook deliveries: 0 new since the last look", StringComparison.Ordinal),
                "the first look at the App's deliveries", TimeSpan.FromSeconds(30));
            await first.KillAsync();
        }

        var missed = await _world.GitHub.DeliverAsync("issues", Labeled(11, "Fix teh typo [edit]"));
        var alsoMissed = await _world.GitHub.DeliverAsync("issues", Labeled(12, "Check the README [nochange]"));
        Assert.False(missed.Succeeded);
        Assert.False(alsoMissed.Succeeded);

        await using var second = new ServiceProcess(settings);
        using var http = new HttpClient { BaseAddress = second.Url };
        _world.GitHub.WebhookTarget = request => http.SendAsync(request);
        await second.StartAsync();

        await _world.FinalCommentAsync(11, "pull request is ready");
        await _world.FinalCommentAsync(12, "without changes");
        Assert.Single(_world.GitHub.PullRequestsFor("octo/widgets"));
        Assert.Single(_world.GitHub.Deliveries, d => d.Redelivery && d.EventGuid == missed.EventGuid && d.Succeeded);
        Assert.Single(_world.GitHub.Deliveries, d => d.Redelivery && d.EventGuid == alsoMissed.EventGuid && d.Succeeded);
        Assert.Single((await ServiceHttp.TaskAsync(second.Url, 11))!["history"]!.AsArray());
    }
}
