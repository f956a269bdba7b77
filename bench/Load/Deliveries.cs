using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SandboxAgents.Bench.Load;

/// <summary>One signed delivery, ready to send: its event name, body and <c>X-Hub-Signature-256</c>.</summary>
public sealed record Delivery(string Event, byte[] Body, string Signature);

/// <summary>
/// Signed <c>issue_comment</c> deliveries as GitHub sends them, built from a real payload (octokit/webhooks.net's
/// <c>issue_comment.created</c>, as in <c>Tests/Payloads</c>) with the issue number, comment id and comment text changed.
/// </summary>
public static class Deliveries
{
    public const string Path = "/api/github/webhooks";

    /// <summary>A comment that is not a command, one per issue: verified, parsed and ignored by the gateway.</summary>
    public static IReadOnlyList<Delivery> Ordinary(string secret, int issues) =>
        Comments(secret, issues, "Thanks, this looks right to me. I'll have a look at the tests tomorrow.");

    /// <summary><c>/agent cancel</c> on each of <paramref name="issues"/> idle issues: one grain call each, answered "no active run".</summary>
    public static IReadOnlyList<Delivery> Cancel(string secret, int issues) => Comments(secret, issues, "/agent cancel");

    private static List<Delivery> Comments(string secret, int issues, string text)
    {
        var template = File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Payloads", "issue_comment.created.json"));
        var key = Encoding.UTF8.GetBytes(secret);
        return [.. Enumerable.Range(1, issues).Select(number =>
        {
            var payload = JsonNode.Parse(template)!;
            payload["issue"]!["number"] = number;
            payload["issue"]!["id"] = 444_500_000L + number;
            payload["comment"]!["id"] = 492_700_000L + number;
            payload["comment"]!["body"] = text;
            var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
            return new Delivery("issue_comment", body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
        })];
    }
}
