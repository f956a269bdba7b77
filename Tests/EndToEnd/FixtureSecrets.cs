using System.Security.Cryptography;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The secrets an end-to-end service holds: its webhook secret, operator key, model key and GitHub token.</summary>
public sealed record FixtureSecrets(string WebhookSecret, string OperatorKey, string ModelKey, string GitHubToken)
{
    public static FixtureSecrets Defaults { get; } =
        new(ServiceFixture.WebhookSecret, ServiceFixture.OperatorKey, ServiceFixture.AnthropicKey, FakeGitHubServer.Token);

    /// <summary>Canaries: values made for this test run alone, shaped like the real things, found nowhere but where they were put.</summary>
    public static FixtureSecrets Canaries() => new(
        "whsec-canary-" + Random(24), "op-canary-" + Random(24), "sk-ant-canary-" + Random(32), "ghp_Canary" + Random(30));

    /// <summary>Each secret, and the forms a token takes on its way to git (the Basic header's base64).</summary>
    public IEnumerable<(string Name, string Value)> AllForms()
    {
        yield return ("webhook secret", WebhookSecret);
        yield return ("operator key", OperatorKey);
        yield return ("model key", ModelKey);
        yield return ("GitHub token", GitHubToken);
        yield return ("GitHub token as a Basic header", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("x-access-token:" + GitHubToken)));
    }

    private static string Random(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
