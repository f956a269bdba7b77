namespace SandboxAgents.GitHub;

/// <summary>The GitHub accounts commits name: the service's own, and the people who ask for runs.</summary>
public interface IGitHubUsers
{
    /// <summary>The account the service's credentials act as (the App's bot user, or the token's user). Throws when GitHub cannot say.</summary>
    Task<GitHubAccount> GetServiceAccountAsync(IssueKey issue, CancellationToken cancellationToken);

    /// <summary>The user with this login, or null when GitHub has none.</summary>
    Task<GitHubAccount?> FindAsync(IssueKey issue, string login, CancellationToken cancellationToken);
}
