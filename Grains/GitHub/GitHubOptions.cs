namespace SandboxAgents.GitHub;

/// <summary>Section <c>GitHub</c>: how the service reaches GitHub's API and git (the webhook side is the gateway's).</summary>
public sealed class GitHubOptions
{
    public const string SectionName = "GitHub";

    /// <summary>Token for the REST API and for git (a fine-grained PAT). Never logged or persisted.</summary>
    public string? Token { get; set; }

    /// <summary>The GitHub App's id or client id (the JWT's <c>iss</c>); with a private key, the service acts as the App.</summary>
    public string? AppId { get; set; }

    /// <summary>The App's private key as a PEM file, or the PEM text itself in <see cref="PrivateKey"/>.</summary>
    public string? PrivateKeyPath { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>How often, with App credentials, failed webhook deliveries are looked for and redelivered.</summary>
    public TimeSpan DeliveryRecoveryPeriod { get; set; } = TimeSpan.FromMinutes(5);

    public Uri ApiUrl { get; set; } = new("https://api.github.com/");

    /// <summary>Base of clone and push URLs: <c>{GitUrl}{owner}/{repo}.git</c>.</summary>
    public string GitUrl { get; set; } = "https://github.com/";

    /// <summary>How long a collaborator permission answer is reused.</summary>
    public TimeSpan PermissionCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    public bool UsesApp => !string.IsNullOrWhiteSpace(AppId);

    public Uri CloneUrl(IssueKey issue) => new($"{GitUrl.TrimEnd('/')}/{issue.Owner}/{issue.Repository}.git");

    /// <summary>The branch's page on the repository's web host (the host of <see cref="GitUrl"/>), each part of its name escaped.</summary>
    public string BranchUrl(IssueKey issue, string branch) =>
        $"{GitUrl.TrimEnd('/')}/{issue.Owner}/{issue.Repository}/tree/{string.Join('/', branch.Split('/').Select(Uri.EscapeDataString))}";
}
