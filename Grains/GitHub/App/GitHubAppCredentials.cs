using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Octokit;
using SandboxAgents.Runs;

namespace SandboxAgents.GitHub.App;

/// <summary>
/// <see cref="IGitHubCredentials"/> as a GitHub App. Every run gets its own installation token for its one
/// repository, so revoking it when the run settles touches no other run; the service's own calls share one token per
/// repository that is never revoked but expires and is renewed like the others. Tokens live only in memory and are
/// renewed <see cref="RefreshMargin"/> before GitHub's <c>expires_at</c>.
/// </summary>
public sealed partial class GitHubAppCredentials(
    GitHubAppClient app,
    [FromKeyedServices(RunClock.Key)] TimeProvider clock,
    ILogger<GitHubAppCredentials> logger) : IGitHubCredentials, IDisposable
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<GitHubTokenScope, Minted> _tokens = new();
    private readonly ConcurrentDictionary<GitHubTokenScope, SemaphoreSlim> _minting = new();
    private readonly SemaphoreSlim _accountGate = new(1, 1);
    private GitHubAccount? _account;

    public async ValueTask<string?> GetTokenAsync(GitHubTokenScope scope, CancellationToken cancellationToken)
    {
        if (Fresh(scope) is { } cached) return cached;
        var gate = _minting.GetOrAdd(scope, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(scope) is { } minted) return minted;
            var installation = await InstallationAsync(scope);
            var permissions = scope.RunId is null ? InstallationPermissions.Service : InstallationPermissions.Run;
            AccessToken token;
            try
            {
                token = await app.CreateTokenAsync(installation, scope.Repository, permissions, cancellationToken);
            }
            catch (NotFoundException)
            {
                // The App may have been installed anew under another id: ask again next time.
                _installations.TryRemove(Repository(scope), out _);
                throw;
            }

            _tokens[scope] = new Minted(token.Token, token.ExpiresAt);
            LogMinted(logger, scope, token.ExpiresAt);
            return token.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask ReleaseRunAsync(GitHubTokenScope scope, CancellationToken cancellationToken)
    {
        _minting.TryRemove(scope, out _);
        if (!_tokens.TryRemove(scope, out var minted) || minted.ExpiresAt <= clock.GetUtcNow()) return;
        try
        {
            await app.RevokeAsync(minted.Token);
            LogRevoked(logger, scope);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRevokeFailed(logger, ex, scope);
        }
    }

    public void NoteInstallation(string owner, string repository, long installationId) =>
        _installations[Repository(new GitHubTokenScope(owner, repository, null))] = installationId;

    /// <summary>The App's bot user, <c>{slug}[bot]</c>: the slug from <c>GET /app</c>, the user id from <c>GET /users/{slug}[bot]</c>. Asked once.</summary>
    public async ValueTask<GitHubAccount> GetAccountAsync(GitHubTokenScope scope, CancellationToken cancellationToken)
    {
        if (_account is { } known) return known;
        await _accountGate.WaitAsync(cancellationToken);
        try
        {
            if (_account is { } found) return found;
            var login = await app.GetSlugAsync() + "[bot]";
            var user = await app.GetUserAsync(login, await GetTokenAsync(scope, cancellationToken));
            return _account = new GitHubAccount(login, user.Id);
        }
        finally
        {
            _accountGate.Release();
        }
    }

    public void Dispose()
    {
        _accountGate.Dispose();
        foreach (var gate in _minting.Values) gate.Dispose();
    }

    private string? Fresh(GitHubTokenScope scope) =>
        _tokens.TryGetValue(scope, out var minted) && minted.ExpiresAt - RefreshMargin > clock.GetUtcNow() ? minted.Token : null;

    private async Task<long> InstallationAsync(GitHubTokenScope scope)
    {
        var key = Repository(scope);
        if (_installations.TryGetValue(key, out var known)) return known;
        var found = await app.FindInstallationAsync(scope.Owner, scope.Repository);
        _installations[key] = found;
        return found;
    }

    private static string Repository(GitHubTokenScope scope) => $"{scope.Owner}/{scope.Repository}";

    private sealed record Minted(string Token, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation token for {Scope} minted, expires {ExpiresAt}")]
    private static partial void LogMinted(ILogger logger, GitHubTokenScope scope, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation token for {Scope} revoked")]
    private static partial void LogRevoked(ILogger logger, GitHubTokenScope scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Installation token for {Scope} could not be revoked; it expires on its own")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception, GitHubTokenScope scope);
}
