using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.GitHub;

/// <summary>
/// Decides whether a GitHub user may command runs on a repository: write, maintain or admin. Answers are cached
/// briefly; any failure to ask GitHub denies (fail closed) and is not cached.
/// </summary>
public sealed partial class PermissionChecker(
    IGitHubIssues gitHub,
    IOptions<GitHubOptions> options,
    TimeProvider clock,
    ILogger<PermissionChecker> logger)
{
    private static readonly HashSet<string> Permitted = new(StringComparer.OrdinalIgnoreCase) { "write", "maintain", "admin" };
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<bool> MayCommandAsync(IssueKey issue, string login, CancellationToken cancellationToken)
    {
        try
        {
            return await HasWriteAccessAsync(issue, login, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPermissionLookupFailed(logger, ex, issue.RepositoryFullName, login);
            return false;
        }
    }

    /// <summary>Whether the login has write, maintain or admin permission; a failure to ask GitHub throws (and is not cached).</summary>
    public async Task<bool> HasWriteAccessAsync(IssueKey issue, string login, CancellationToken cancellationToken)
    {
        var cacheKey = $"{issue.RepositoryFullName}:{login}";
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Until > now) return cached.Allowed;

        var permission = await gitHub.GetPermissionAsync(issue.Owner, issue.Repository, login, cancellationToken);
        var allowed = Permitted.Contains(permission);
        _cache[cacheKey] = (allowed, now + options.Value.PermissionCacheDuration);
        return allowed;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read {Login}'s permission on {Repository}; denying the command")]
    private static partial void LogPermissionLookupFailed(ILogger logger, Exception exception, string repository, string login);
}
