using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SandboxAgents.GitHub;

/// <summary>
/// Decides whether a GitHub user may command runs on a repository (and have their comments put into a task): write,
/// maintain or admin. Answers are cached
/// briefly. When GitHub cannot be asked the lookup throws (the port's exceptions) and nothing is cached: the caller
/// retries or denies (<see cref="Runs.CommandAuthorization"/>), it never guesses.
/// </summary>
public sealed class PermissionChecker(IGitHubIssues gitHub, IOptions<GitHubOptions> options, TimeProvider clock)
{
    private static readonly HashSet<string> Permitted = new(StringComparer.OrdinalIgnoreCase) { "write", "maintain", "admin" };
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<bool> MayCommandAsync(IssueKey issue, string login, CancellationToken cancellationToken)
    {
        var cacheKey = $"{issue.RepositoryFullName}:{login}";
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Until > now) return cached.Allowed;

        var permission = await gitHub.GetPermissionAsync(issue.Owner, issue.Repository, login, cancellationToken);
        var allowed = Permitted.Contains(permission);
        _cache[cacheKey] = (allowed, now + options.Value.PermissionCacheDuration);
        return allowed;
    }
}
