using Microsoft.Extensions.Logging;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>
/// The issue's wait for GitHub. A rate limit stops every GitHub call of the grain (comments, reactions, permission and
/// issue reads, the pull request) until the time GitHub gave; the time is persisted, so it holds across deactivation
/// and restarts (the watchdog reminder brings the grain back).
/// </summary>
public sealed partial class RunContext
{
    /// <summary>True while a rate limit forbids calling GitHub.</summary>
    public bool GitHubPaused => State.GitHubPausedUntil is { } until && Now < until;

    /// <summary>Records the limit and the time before which GitHub is not asked again; never shortens a wait already set.</summary>
    public void PauseGitHub(GitHubRateLimitedException limit)
    {
        State.GitHubLimitsInARow++;
        var until = GitHubBackoff.NextAttempt(limit, State.GitHubLimitsInARow, Now);
        if (State.GitHubPausedUntil is not { } already || until > already) State.GitHubPausedUntil = until;
        Changed();
        LogGitHubPaused(Logger, Issue, State.GitHubPausedUntil.Value, State.GitHubLimitsInARow, limit.Message);
    }

    /// <summary>A GitHub call went through: the next limit starts the backoff afresh (saved with the next write).</summary>
    public void GitHubAnswered() => State.GitHubLimitsInARow = 0;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: GitHub rate-limited the service; no GitHub call before {Until:o} (limit {InARow} in a row): {Reason}")]
    private static partial void LogGitHubPaused(ILogger logger, IssueKey issue, DateTimeOffset until, int inARow, string reason);
}
