using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Octokit.Webhooks.Events.IssueComment;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Bench;

/// <summary>
/// Deciding what an <c>issue_comment</c> delivery asks for, as the gateway does: triage over the raw bytes (all an
/// ordinary comment costs), and for <c>/agent cancel</c> the triage plus the deserialisation and the router's decision.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private readonly TriggerOptions _triggers = new();
    private TriageRules _rules = null!;
    private byte[] _ordinary = [];
    private byte[] _command = [];

    [GlobalSetup]
    public void Load()
    {
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "issue_comment.created.json"));
        _rules = TriageRules.From(_triggers);
        _ordinary = Comment(template, "Thanks, this looks right to me.");
        _command = Comment(template, "/agent cancel");
    }

    [Benchmark]
    public Triage IgnoredComment() => DeliveryTriage.Decide("issue_comment", _ordinary, _rules);

    [Benchmark]
    public RouteDecision CommandComment()
    {
        DeliveryTriage.Decide("issue_comment", _command, _rules);
        var parsed = JsonSerializer.Deserialize<IssueCommentCreatedEvent>(_command)!;
        return WebhookCommandRouter.Route(parsed, "bench-delivery", _triggers);
    }

    private static byte[] Comment(string template, string text) =>
        Encoding.UTF8.GetBytes(template.Replace("You are totally right! I'll get this fixed right away.", text, StringComparison.Ordinal));
}
