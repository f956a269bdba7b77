using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Octokit.Webhooks.Events.IssueComment;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Bench;

/// <summary>The router's pure decision for a parsed <c>issue_comment</c>: an ordinary comment (ignored) and <c>/agent cancel</c> (a command).</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private readonly TriggerOptions _triggers = new();
    private IssueCommentCreatedEvent _ordinary = null!;
    private IssueCommentCreatedEvent _command = null!;

    [GlobalSetup]
    public void Parse()
    {
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "issue_comment.created.json"));
        _ordinary = Comment(template, "Thanks, this looks right to me.");
        _command = Comment(template, "/agent cancel");
    }

    [Benchmark]
    public RouteDecision IgnoredComment() => WebhookCommandRouter.Route(_ordinary, "bench-delivery", _triggers);

    [Benchmark]
    public RouteDecision CommandComment() => WebhookCommandRouter.Route(_command, "bench-delivery", _triggers);

    private static IssueCommentCreatedEvent Comment(string template, string text) =>
        JsonSerializer.Deserialize<IssueCommentCreatedEvent>(template.Replace("You are totally right! I'll get this fixed right away.", text, StringComparison.Ordinal))!;
}
