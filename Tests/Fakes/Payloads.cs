using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;
using Octokit.Webhooks;

namespace SandboxAgents.Tests.Fakes;

/// <summary>Real GitHub payloads (from octokit/webhooks.net's test resources), adjusted per test case.</summary>
public static class Payloads
{
    private static readonly ParsingProcessor Parser = new();

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json")))!.AsObject();

    /// <summary>A payload for the given repository and issue, with the sender, label and comment the case needs.</summary>
    public static JsonObject For(string name, string repository, int number, string sender = "maintainer",
        string? label = null, string? comment = null, string senderType = "User")
    {
        var payload = Load(name);
        var (owner, repo) = (repository.Split('/')[0], repository.Split('/')[1]);
        payload["repository"]!["full_name"] = repository;
        payload["repository"]!["name"] = repo;
        payload["repository"]!["owner"]!["login"] = owner;
        payload["issue"]!["number"] = number;
        payload["sender"]!["login"] = sender;
        payload["sender"]!["type"] = senderType;
        if (label is not null) payload["label"]!["name"] = label;
        if (comment is not null) payload["comment"]!["body"] = comment;
        return payload;
    }

    public static WebhookEvent Parse(string eventName, JsonObject payload) =>
        Parser.DeserializeWebhookEvent(
            WebhookHeaders.Parse(new Dictionary<string, StringValues> { ["X-GitHub-Event"] = eventName }),
            payload.ToJsonString());

    private sealed class ParsingProcessor : WebhookEventProcessor;
}
