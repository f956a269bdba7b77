using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// Masks secrets in text that leaves the sandbox (log tails, agent messages, error reasons): the configured secret
/// values themselves, and anything shaped like a GitHub token or an Anthropic key.
/// </summary>
public sealed partial class SecretRedactor
{
    private const string Mask = "[redacted]";
    private readonly string[] _secrets;

    public SecretRedactor(IOptions<GitHubOptions> gitHub, IOptions<AgentOptions> agent)
    {
        _secrets = [.. new[] { gitHub.Value.Token, gitHub.Value.WebhookSecret }
            .Concat(agent.Value.Environment.Values)
            .Where(s => !string.IsNullOrEmpty(s) && s.Length >= 6)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s!.Length)
            .Cast<string>()];
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var secret in _secrets) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return TokenShape().Replace(text, Mask);
    }

    [GeneratedRegex(@"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-ant-[A-Za-z0-9_-]{10,}|x-access-token:[^@\s]+)")]
    private static partial Regex TokenShape();
}
