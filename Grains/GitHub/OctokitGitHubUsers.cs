using Octokit;

namespace SandboxAgents.GitHub;

/// <summary><see cref="IGitHubUsers"/> over the shared Octokit client, with the token of the run being driven.</summary>
public sealed class OctokitGitHubUsers(GitHubApi api, IGitHubCredentials credentials) : IGitHubUsers
{
    public async Task<GitHubAccount> GetServiceAccountAsync(IssueKey issue, CancellationToken cancellationToken) =>
        await credentials.GetAccountAsync(GitHubTokenScope.Current(issue.Owner, issue.Repository), cancellationToken);

    public async Task<GitHubAccount?> FindAsync(IssueKey issue, string login, CancellationToken cancellationToken)
    {
        var token = await credentials.GetTokenAsync(GitHubTokenScope.Current(issue.Owner, issue.Repository), cancellationToken);
        try
        {
            var user = await api.CallAsync(GitHubApi.Token(token), client => client.User.Get(login));
            return new GitHubAccount(user.Login, user.Id, user.Name);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
