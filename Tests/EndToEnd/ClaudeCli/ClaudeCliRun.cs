using System.Net;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>What the CLI tests do with the service: label an issue of a repository, read its task, its comment and its pull requests.</summary>
internal static class ClaudeCliRun
{
    public static async Task LabelAsync(this ClaudeCliServiceFixture service, int number, string title, string repository = ServiceFixture.Repository)
    {
        var payload = Payloads.For("issues.labeled", repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        payload["issue"]!["body"] = "Follow the maintainers' notes in the title.";
        Assert.Equal(HttpStatusCode.OK, (await service.SendWebhookAsync("issues", payload)).StatusCode);
    }

    public static async Task<JsonObject?> TaskAsync(this ClaudeCliServiceFixture service, string repository, int number)
    {
        var response = await service.Http.GetAsync(new Uri($"/api/tasks/{repository}/{number}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>The task once its run has ended in <paramref name="state"/> and its sandbox is gone.</summary>
    public static async Task<JsonObject> EndedAsync(this ClaudeCliServiceFixture service, int number, string state, string repository = ServiceFixture.Repository)
    {
        var done = await Eventually.MatchesAsync(() => service.TaskAsync(repository, number),
            t => t?["state"]?.GetValue<string>() is { } s && (s == state || IsTerminal(s)) && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(),
            $"{repository}#{number} to end {state}");
        Assert.True(done!["state"]!.GetValue<string>() == state, $"{repository}#{number} ended {done["state"]}, not {state}: {done["error"]}");
        return done;
    }

    public static JsonObject Run(this JsonObject task) => task["history"]![0]!.AsObject();

    /// <summary>The issue's one status comment once it says <paramref name="words"/>.</summary>
    public static async Task<string> CommentSayingAsync(this ClaudeCliServiceFixture service, int number, string words, string repository = ServiceFixture.Repository)
    {
        await Eventually.TrueAsync(() => Body(service, repository, number)?.Contains(words, StringComparison.Ordinal) == true,
            $"the status comment of {repository}#{number} to say '{words}' (it says: {Body(service, repository, number)})");
        return Body(service, repository, number)!;
    }

    /// <summary>The comment's "Now:" line, or null when it has none.</summary>
    public static string? NowLine(this ClaudeCliServiceFixture service, int number) =>
        Body(service, ServiceFixture.Repository, number)?.Split('\n').FirstOrDefault(line => line.StartsWith("Now:", StringComparison.Ordinal));

    public static JsonObject PullRequestOf(this ClaudeCliServiceFixture service, string branch, string repository = ServiceFixture.Repository) =>
        Assert.Single(service.GitHub.PullRequestsFor(repository), p => p["head"]!["ref"]!.GetValue<string>() == branch);

    private static string? Body(ClaudeCliServiceFixture service, string repository, int number) =>
        service.GitHub.CommentsOn(repository, number) is [var comment] ? comment["body"]!.GetValue<string>() : null;

    private static bool IsTerminal(string state) => state is "Succeeded" or "Failed" or "NoChanges" or "TimedOut" or "Cancelled";
}
