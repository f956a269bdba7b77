using Microsoft.Extensions.Options;

namespace SandboxAgents.GitHub;

/// <summary><see cref="IGitHubCredentials"/> from <c>GitHub:Token</c>: one token for every repository and run, never revoked by the service.</summary>
public sealed class PersonalAccessToken(IOptions<GitHubOptions> options, GitHubApi api) : IGitHubCredentials, IDisposable
{
    private readonly SemaphoreSlim _accountGate = new(1, 1);
    private GitHubAccount? _account;

    private string? Token => string.IsNullOrEmpty(options.Value.Token) ? null : options.Value.Token;

    public ValueTask<string?> GetTokenAsync(GitHubTokenScope scope, CancellationToken cancellationToken) => ValueTask.FromResult(Token);

    public ValueTask ReleaseRunAsync(GitHubTokenScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void NoteInstallation(string owner, string repository, long installationId)
    {
    }

    /// <summary>The token's user (<c>GET /user</c>), asked once.</summary>
    public async ValueTask<GitHubAccount> GetAccountAsync(GitHubTokenScope scope, CancellationToken cancellationToken)
    {
        if (_account is { } known) return known;
        await _accountGate.WaitAsync(cancellationToken);
        try
        {
            if (_account is { } found) return found;
            var user = await api.CallAsync(GitHubApi.Token(Token), client => client.User.Current());
            return _account ??= new GitHubAccount(user.Login, user.Id, user.Name);
        }
        finally
        {
            _accountGate.Release();
        }
    }

    public void Dispose() => _accountGate.Dispose();
}
