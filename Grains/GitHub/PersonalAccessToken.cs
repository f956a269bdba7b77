using Microsoft.Extensions.Options;

namespace SandboxAgents.GitHub;

/// <summary><see cref="IGitHubCredentials"/> from <c>GitHub:Token</c>: one token for every repository.</summary>
public sealed class PersonalAccessToken(IOptions<GitHubOptions> options) : IGitHubCredentials
{
    public ValueTask<string?> GetTokenAsync(IssueKey issue, CancellationToken cancellationToken) =>
        ValueTask.FromResult(string.IsNullOrEmpty(options.Value.Token) ? null : options.Value.Token);
}
