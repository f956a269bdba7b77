using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The whole service against a fake GitHub that fails the way GitHub does: a secondary rate limit on opening the pull
/// request, a primary one on the status comment, permission lookups that fail once or keep failing. The runs' clock
/// is fake, so the waits GitHub asks for pass only when the test moves it.
/// </summary>
[Collection(LocalServiceCollection.Name)]
public sealed class GitHubFailureEndToEndTests(LocalServiceFixture service)
{
    private static JsonObject Labeled(int number, string title, string sender = "maintainer")
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: sender, label: "agent");
        payload["issue"]!["title"] = title;
        return payload;
    }

    private IReadOnlyList<JsonObject> Comments(int number) => service.GitHub.CommentsOn(ServiceFixture.Repository, number);

    /// <summary>
    /// Waits until the service has read the runs' clock <paramref name="readings"/> more times, which its grains do on
    /// every tick: the clock moves a millisecond per reading, so the readings are counted by the time it shows, less
    /// this method's own.
    /// </summary>
    private async Task ServiceTicksAsync(int readings = 50)
    {
        var mark = service.Clock.GetUtcNow();
        var own = 1;
        await Eventually.TrueAsync(() =>
        {
            own++;
            return (service.Clock.GetUtcNow() - mark).TotalMilliseconds - own >= readings;
        }, $"the service to read its clock {readings} times; log: {string.Join('\n', service.Logs.Lines.TakeLast(30))}");
    }

    /// <summary>Waits until the grain has taken a rate limit in (and set its wait from the runs' clock), which it logs.</summary>
    private Task PausedAsync(int number) =>
        Eventually.TrueAsync(() => service.Logs.Lines.Any(l => l.Contains($"{ServiceFixture.Repository}#{number}: GitHub rate-limited the service", StringComparison.Ordinal)), $"#{number} waiting for GitHub");

    /// <summary>Waits until the grain has taken the failed lookup in (and set when to try again), which it logs.</summary>
    private Task LookupFailedAsync(string login, int lookup) =>
        Eventually.TrueAsync(() => service.Logs.Lines.Any(l => l.Contains($"@{login}'s permission (lookup {lookup} of", StringComparison.Ordinal)), $"failed lookup {lookup} of @{login}");

    [Fact]
    public async Task PullRequestMeetsSecondaryLimitWithRetryAfter60_NotAskedAgainBefore60Seconds_ThenOpenedOnce()
    {
        const int number = 6101;
        var posts = new ConcurrentQueue<DateTimeOffset>();
        service.GitHub.FailNext("POST", "/pulls", 1, GitHubFaultKind.SecondaryRateLimit, retryAfter: TimeSpan.FromSeconds(60));
        service.GitHub.BeforeHandling = request =>
        {
            if (request.Method == "POST" && request.PathAndQuery.EndsWith("/pulls", StringComparison.Ordinal)) posts.Enqueue(service.Clock.GetUtcNow());
            return Task.CompletedTask;
        };
        try
        {
            await service.SendWebhookAsync("issues", Labeled(number, "Fix teh typo [edit]"));
            await Eventually.TrueAsync(() => posts.Count == 1, "the first POST /pulls");
            await PausedAsync(number);

            service.Clock.Advance(TimeSpan.FromSeconds(50));
            await ServiceTicksAsync();
            Assert.Single(posts);
            Assert.Equal("Publishing", (await service.GetTaskAsync(number))!["state"]!.GetValue<string>());

            service.Clock.Advance(TimeSpan.FromSeconds(15));
            var done = await service.WaitForStateAsync(number, "Succeeded");

            Assert.Equal(2, posts.Count);
            Assert.True(posts.Last() - posts.First() >= TimeSpan.FromSeconds(60), $"asked again after {posts.Last() - posts.First()}");
            var branch = done["branch"]!.GetValue<string>();
            Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == branch);
            Assert.Single(service.Git.Show(branch, "README.md").Split('\n'), line => line == "Fixed by the agent.");
            var states = done["history"]!.AsArray()[^1]!["transitions"]!.AsArray().Select(t => t!["state"]!.GetValue<string>());
            Assert.Equal(["Queued", "Provisioning", "Running", "Publishing", "Succeeded"], states);
            await service.FinalCommentAsync(number, "Done");
        }
        finally
        {
            service.GitHub.BeforeHandling = null;
        }
    }

    [Fact]
    public async Task StatusCommentMeetsPrimaryLimit_WrittenOnlyAfterTheReset_AndEndsFinal()
    {
        const int number = 6102;
        var reset = service.Clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        service.GitHub.FailNext("POST", $"/issues/{number}/comments", 1, GitHubFaultKind.PrimaryRateLimit, resetAt: reset);

        await service.SendWebhookAsync("issues", Labeled(number, "Check the README [nochange]"));
        await service.WaitForStateAsync(number, "NoChanges");
        await PausedAsync(number);
        await ServiceTicksAsync();
        Assert.Empty(Comments(number));
        Assert.Equal(1, service.GitHub.CountOf("POST", $"/issues/{number}/comments"));

        service.Clock.Advance(TimeSpan.FromMinutes(10));
        await Eventually.TrueAsync(() => Comments(number) is [var c] && c["body"]!.GetValue<string>().Contains("Finished without changes", StringComparison.Ordinal), "the final comment after the reset");
        Assert.Equal(2, service.GitHub.CountOf("POST", $"/issues/{number}/comments"));
    }

    [Fact]
    public async Task StatusCommentRefusedPastTheRetryLimit_TheRunIsFlaggedInTheApi()
    {
        const int number = 6105;
        service.GitHub.FailNext("POST", $"/issues/{number}/comments", 10_000, GitHubFaultKind.ServerError);

        await service.SendWebhookAsync("issues", Labeled(number, "Check the README [nochange]"));
        await service.WaitForStateAsync(number, "NoChanges");
        await ServiceTicksAsync();
        Assert.False((await service.GetTaskAsync(number))!["history"]!.AsArray()[^1]!["commentStale"]!.GetValue<bool>());

        service.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(10));
        var flagged = await Eventually.MatchesAsync(() => service.GetTaskAsync(number),
            t => t!["history"]!.AsArray()[^1]!["commentStale"]!.GetValue<bool>(), "the run flagged");

        Assert.Equal("NoChanges", flagged!["state"]!.GetValue<string>());
        Assert.Empty(Comments(number));
        var list = await Eventually.MatchesAsync(async () => JsonNode.Parse(await service.Http.GetStringAsync(new Uri("/api/tasks?pageSize=200", UriKind.Relative)))!,
            page => page["items"]!.AsArray().Any(e => e!["number"]!.GetValue<int>() == number && e["commentStale"]!.GetValue<bool>()), "the list flags it");
        Assert.NotNull(list);
    }

    [Fact]
    public async Task PermissionLookupFailsOnce_IsRetried_AndTheRunStarts()
    {
        const int number = 6103;
        service.GitHub.FailNext("GET", "/collaborators/flaky-writer/permission", 1, GitHubFaultKind.ServerError);

        await service.SendWebhookAsync("issues", Labeled(number, "Check the README [nochange]", sender: "flaky-writer"));
        await LookupFailedAsync("flaky-writer", 1);
        Assert.Equal(1, (await service.GetTaskAsync(number))!["pendingCommands"]!.GetValue<int>());

        service.Clock.Advance(TimeSpan.FromSeconds(15));
        await service.WaitForStateAsync(number, "NoChanges");
        Assert.Equal(2, service.GitHub.CountOf("GET", "/collaborators/flaky-writer/permission"));
        Assert.DoesNotContain($"issue:{ServiceFixture.Repository}#{number}:confused", service.GitHub.Reactions.Keys);
    }

    [Fact]
    public async Task PermissionLookupKeepsFailing_TheSenderIsToldWithAReactionAndAReply_NoRunStarts()
    {
        const int number = 6104;
        service.GitHub.FailNext("GET", "/collaborators/unlucky-writer/permission", 20, GitHubFaultKind.DroppedConnection);

        var payload = Payloads.For("issue_comment.created", ServiceFixture.Repository, number, sender: "unlucky-writer", comment: "/agent run");
        payload["comment"]!["id"] = 61_040_001L; // its own comment, not the sample's id other tests react to
        await service.SendWebhookAsync("issue_comment", payload);
        var commentId = payload["comment"]!["id"]!.GetValue<long>();
        for (var lookup = 1; lookup <= 4; lookup++)
        {
            await LookupFailedAsync("unlucky-writer", lookup);
            service.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        await Eventually.TrueAsync(() => service.GitHub.Reactions.ContainsKey($"comment:{commentId}:confused"), "the 😕 on the command");
        var reply = await Eventually.MatchesAsync(() => Task.FromResult(Comments(number)), c => c.Count == 1, "the reply");
        Assert.Contains("@unlucky-writer", reply[0]["body"]!.GetValue<string>());
        Assert.Contains("could not be asked", reply[0]["body"]!.GetValue<string>());
        Assert.Equal(4, service.GitHub.CountOf("GET", "/collaborators/unlucky-writer/permission"));
        Assert.DoesNotContain($"comment:{commentId}:eyes", service.GitHub.Reactions.Keys);
        // No run, and (once the tick that told the sender has stored it) no command left pending.
        Assert.Null(await Eventually.MatchesAsync(() => service.GetTaskAsync(number), t => t is null, "the command handled without a run"));
    }
}
