namespace SandboxAgents;

/// <summary>The GitHub App side of section <c>GitHub</c> that both the gateway and the grains read: who the App is on GitHub.</summary>
public sealed class GitHubAppOptions
{
    public const string SectionName = "GitHub";

    /// <summary>The App's slug (its URL name); GitHub shows its actions as the user <c>{slug}[bot]</c>.</summary>
    public string? AppSlug { get; set; }

    /// <summary>The login the App acts as on GitHub, or null when no slug is configured.</summary>
    public string? BotLogin => string.IsNullOrWhiteSpace(AppSlug) ? null : $"{AppSlug.Trim()}[bot]";
}
