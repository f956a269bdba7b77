using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Hostile;

/// <summary>
/// A fork bomb and a memory hog in their sandboxes (limits of 128 processes and 256 MB here) end their runs Failed
/// with the limit they hit, while a benign run beside them succeeds and the service answers throughout.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class ResourceAttackTests(HostileServiceFixture service)
{
    private async Task LabelAsync(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", ServiceFixture.Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        (await service.SendWebhookAsync("issues", payload)).EnsureSuccessStatusCode();
    }

    private Task<System.Text.Json.Nodes.JsonObject?> EndOfAsync(int number) =>
        Eventually.MatchesAsync(() => service.GetTaskAsync(number),
            t => t?["state"]?.GetValue<string>() is "Succeeded" or "Failed" or "NoChanges" or "TimedOut" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(),
            $"the end of run {number}", TimeSpan.FromSeconds(90));

    [Fact]
    public async Task ForkBombAndMemoryHog_EndFailedWithTheLimit_WhileABenignRunBesideThemSucceeds()
    {
        await LabelAsync(803, "Fork without end [forkbomb]");
        await LabelAsync(805, "Eat all memory [memhog]");
        await LabelAsync(804, "Fix teh typo [edit]");

        var bomb = await EndOfAsync(803);
        var hog = await EndOfAsync(805);
        var benign = await EndOfAsync(804);

        Assert.Equal(("Failed", "Failed", "Succeeded"), (bomb!["state"]!.GetValue<string>(), hog!["state"]!.GetValue<string>(), benign!["state"]!.GetValue<string>()));
        var (bombError, hogError) = (bomb["error"]!.GetValue<string>(), hog["error"]!.GetValue<string>());
        Assert.True(bombError.Contains("limit of 128 processes", StringComparison.Ordinal), $"the fork bomb's run ended: {bombError}");
        Assert.True(hogError.Contains("ran out of memory (its limit is 256 MB)", StringComparison.Ordinal), $"the memory hog's run ended: {hogError}");
        Assert.Contains("Fixed by the agent.", service.Git.Show(benign["branch"]!.GetValue<string>(), "README.md"));
        Assert.Single(service.GitHub.PullRequestsFor(ServiceFixture.Repository), p => p["head"]!["ref"]!.GetValue<string>() == benign["branch"]!.GetValue<string>());
        await Eventually.TrueAsync(() => service.GitHub.CommentsOn(ServiceFixture.Repository, 803) is [var c] && c["body"]!.GetValue<string>().Contains("limit of 128 processes", StringComparison.Ordinal),
            "the fork bomb's comment to say why");
        (await service.Http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
    }
}
