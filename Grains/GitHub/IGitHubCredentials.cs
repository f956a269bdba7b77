namespace SandboxAgents.GitHub;

/// <summary>
/// The tokens the service itself uses on GitHub, for its REST calls and its own git. Tokens are secrets: never
/// logged, stored, or given to a sandbox.
/// </summary>
public interface IGitHubCredentials
{
    /// <summary>
    /// The token for calls on the scope's repository: a run's own token when the scope names a run, else the token of
    /// the service's calls not tied to a run. Null when the service has none. Cached and refreshed before it expires.
    /// </summary>
    ValueTask<string?> GetTokenAsync(GitHubTokenScope scope, CancellationToken cancellationToken);

    /// <summary>Revokes the run's token once the run is settled. Idempotent and best effort: a failure is logged, the token expires anyway.</summary>
    ValueTask ReleaseRunAsync(GitHubTokenScope scope, CancellationToken cancellationToken);

    /// <summary>Remembers the App installation a signed webhook named for the repository, so that no lookup is needed.</summary>
    void NoteInstallation(string owner, string repository, long installationId);

    /// <summary>The account these credentials act as: the App's bot user, or the token's user.</summary>
    ValueTask<GitHubAccount> GetAccountAsync(GitHubTokenScope scope, CancellationToken cancellationToken);
}
