using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace SandboxAgents.Runs;

/// <summary>
/// Masks secrets in text that leaves the sandbox (log tails, agent messages, error reasons): every secret the service
/// knows (the GitHub token and App key, the webhook secret configured or generated, the operator and metrics keys,
/// the model, Daytona and Redis credentials, the agent's and the setup's configured variables), and anything shaped like a GitHub
/// token or an Anthropic key.
/// </summary>
public sealed partial class SecretRedactor
{
    private const string Mask = "[redacted]";
    private const int ShortestSecret = 6;

    /// <summary>The configuration keys whose values are secrets.</summary>
    public static readonly string[] SecretKeys =
    [
        "GitHub:Token", "GitHub:WebhookSecret", "GitHub:PrivateKey", "Api:Key", "Metrics:Key",
        "Agent:ModelApiKey", "Daytona:ApiKey",
    ];

    private readonly Lazy<string[]> _secrets;

    public SecretRedactor(IConfiguration configuration, IEnumerable<KnownSecret> known)
    {
        _secrets = new(() => [.. SecretKeys.Select(key => configuration[key])
            .Concat(configuration.GetSection("Agent:Environment").GetChildren().Select(c => c.Value))
            .Concat(configuration.GetSection("Agent:SetupEnvironment").GetChildren().Select(c => c.Value))
            .Concat(configuration.GetSection("Notifications:Webhooks").GetChildren().Select(c => c["Secret"]))
            .Append(RedisPassword(configuration["Redis:ConnectionString"]))
            .Concat(known.Select(k => k.Value))
            .OfType<string>()
            .Where(s => s.Length >= ShortestSecret)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)]);
    }

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var secret in _secrets.Value) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return TokenShape().Replace(text, Mask);
    }

    /// <summary>The <c>password=</c> option of a StackExchange.Redis connection string, if it has one.</summary>
    private static string? RedisPassword(string? connection) =>
        connection?.Split(',').Select(o => o.Trim()).FirstOrDefault(o => o.StartsWith("password=", StringComparison.OrdinalIgnoreCase))?["password=".Length..];

    [GeneratedRegex(@"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-ant-[A-Za-z0-9_-]{10,}|x-access-token:[^@\s]+)")]
    private static partial Regex TokenShape();
}
