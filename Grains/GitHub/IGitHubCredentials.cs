namespace SandboxAgents.GitHub;

/// <summary>The token the service itself uses on a repository. A secret: never logged, stored, or given to a sandbox.</summary>
public interface IGitHubCredentials
{
    /// <summary>The token for the issue's repository, or null when the service has none (a public or local remote).</summary>
    ValueTask<string?> GetTokenAsync(IssueKey issue, CancellationToken cancellationToken);
}
