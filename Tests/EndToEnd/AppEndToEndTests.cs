using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The service as a GitHub App, end to end: webhooks from the App's hook, installation tokens per run, recovery of failed deliveries.</summary>
[Collection(AppServiceCollection.Name)]
public sealed class AppEndToEndTests(AppServiceFixture service)
{
    private static readonly Dictionary<string, string> RunPermissions = new()
    {
        ["contents"] = "write", ["issues"] = "write", ["pull_requests"] = "write", ["metadata"] = "read",
    };

    private static JsonObject Labeled(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        payload["installation"] = new JsonObject { ["id"] = FakeGitHubApp.InstallationId, ["node_id"] = "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNzc3" };
        return payload;
    }

    private List<IssuedToken> RunTokensSince(DateTimeOffset since) =>
        [.. service.GitHub.IssuedTokens.Where(t => t.IssuedAt >= since && t.Permissions.ContainsKey("contents"))];

    private IDeliveryRecoveryGrain Recovery => service.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeliveryRecoveryGrain>(0);

    [Fact]
    public async Task LabeledIssue_BecomesAPullRequest_WithARepositoryScopedTokenRevokedAtTheEnd()
    {
        var since = service.Clock.GetUtcNow();
        var delivery = await service.GitHub.DeliverAsync("issues", Labeled(201, "Fix teh typo [edit]"));
        Assert.True(delivery.Succeeded);

        var done = await service.WaitForStateAsync(201, "Succeeded");

        var branch = done["branch"]!.GetValue<string>();
        Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == branch);
        var token = Assert.Single(RunTokensSince(since));
        Assert.Equal([ServiceFixture.Repository], token.Repositories);
        Assert.Equal(RunPermissions, token.Permissions);
        await Eventually.TrueAsync(() => token.RevokedAt is not null, "the run's token to be revoked once the run settled");
        Assert.DoesNotContain(service.GitHub.RefusedTokenCalls, r => r.PathAndQuery.Contains("/issues/201", StringComparison.Ordinal));
        Assert.DoesNotContain(service.GitHub.Requests, r => r.PathAndQuery.EndsWith("/installation", StringComparison.Ordinal));
        Assert.Contains(service.GitHub.Requests, r => r.Method == "POST" && r.Body.Contains("\"repositories\":[\"widgets\"]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commit_IsAuthoredByTheAppsBot_AndNamesTheRequesterAsCoAuthor()
    {
        await service.GitHub.DeliverAsync("issues", Labeled(202, "Fix teh typo [edit]"));

        var done = await service.WaitForStateAsync(202, "Succeeded");

        var commit = BareRepository.Git(service.Git.Path, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%B", done["branch"]!.GetValue<string>()).Trim().Split('|');
        var bot = $"{FakeGitHubApp.Login} <{FakeGitHubApp.BotUserId}+{FakeGitHubApp.Login}@users.noreply.github.com>";
        Assert.Equal(bot, commit[0]);
        Assert.Equal(bot, commit[1]);
        Assert.EndsWith("\n\nCo-authored-by: Mai Ntainer <8001+maintainer@users.noreply.github.com>", commit[2].TrimEnd());
    }

    [Fact]
    public async Task RunOutlivingItsToken_GetsAFreshOne_AndStillOpensItsPullRequest()
    {
        var since = service.Clock.GetUtcNow();
        service.App.TokenLifetime = TimeSpan.FromMinutes(10);
        try
        {
            await service.GitHub.DeliverAsync("issues", Labeled(203, "Fix it slowly [slow-edit]"));
            await service.WaitForStateAsync(203, "Running");
            // Waits on the count, so that a time-out says how many tokens there were.
            await Eventually.MatchesAsync(() => Task.FromResult(RunTokensSince(since).Count), count => count == 1, "the run's first token");
            var first = RunTokensSince(since);
            Assert.Single(first);

            service.Clock.Advance(TimeSpan.FromMinutes(11));
            var done = await service.WaitForStateAsync(203, "Succeeded");

            Assert.True(first[0].ExpiresAt < service.Clock.GetUtcNow());
            Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == done["branch"]!.GetValue<string>());
            var tokens = RunTokensSince(since);
            Assert.True(tokens.Count >= 2, $"{tokens.Count} run token(s)");
            Assert.All(tokens, t => Assert.Equal([ServiceFixture.Repository], t.Repositories));
            await Eventually.TrueAsync(() => tokens[^1].RevokedAt is not null, "the run's current token to be revoked once the run settled");
            // A call in flight as the clock jumps past the first token's expiry may be refused once; the next tick has a fresh token.
            var comment = Assert.Single(service.GitHub.CommentsOn(ServiceFixture.Repository, 203));
            await Eventually.TrueAsync(() => comment["body"]!.GetValue<string>().Contains("a pull request is ready for review", StringComparison.Ordinal), "the comment to say the run succeeded");
        }
        finally
        {
            service.App.TokenLifetime = TimeSpan.FromHours(1);
        }
    }

    [Fact]
    public async Task DeliveryThatFailedWhileTheServiceWasDown_IsRedelivered_AndRunsOnce()
    {
        await Recovery.RecoverAsync();
        service.GitHub.WebhookTarget = null;
        HookAttempt failed;
        try
        {
            failed = await service.GitHub.DeliverAsync("issues", Labeled(204, "Check the README [nochange]"));
        }
        finally
        {
            service.GitHub.WebhookTarget = request => service.Http.SendAsync(request);
        }

        Assert.False(failed.Succeeded);
        Assert.Null(await service.GetTaskAsync(204));

        var asked = await Recovery.RecoverAsync();

        Assert.Equal([failed.Id], asked);
        var redelivery = Assert.Single(service.GitHub.Deliveries, d => d.Redelivery && d.EventGuid == failed.EventGuid);
        Assert.True(redelivery.Succeeded);
        await service.WaitForStateAsync(204, "NoChanges");
        Assert.Empty(await Recovery.RecoverAsync());

        // Another attempt at the same event (same GUID) is dropped by the issue's inbox.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.GitHub.BaseUrl, $"api/v3/app/hook/deliveries/{failed.Id}/attempts")))
        {
            request.Headers.Authorization = new("Bearer", AppJwtFor(service));
            using var http = new HttpClient();
            (await http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        Assert.Contains(service.Logs.Lines, l => l.Contains($"delivery {failed.EventGuid} was seen before; ignored", StringComparison.Ordinal));
        Assert.Single((await service.GetTaskAsync(204))!["history"]!.AsArray());
    }

    private static string AppJwtFor(AppServiceFixture service) =>
        service.Services.GetRequiredService<SandboxAgents.GitHub.App.AppJwt>().Create();
}
