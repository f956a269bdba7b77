using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Runs;

/// <summary>What became of a command's permission check.</summary>
public enum Authorization
{
    /// <summary>The command may be applied.</summary>
    Allowed = 0,

    /// <summary>Not now: the command stays first in the inbox and is looked at again on a later tick.</summary>
    Pending = 1,

    /// <summary>Not applied: the sender may not command runs, or GitHub could not be asked (and the sender was told).</summary>
    Denied = 2,
}

/// <summary>
/// Asks whether a command's sender may give it. A real "no" (read, triage, none) is logged and ignored. A lookup that
/// fails transiently (transport, time-out, 5xx, rate limit) is retried a few times with backoff on the grain's clock,
/// the command pending meanwhile; a lookup that still fails, or that GitHub refuses outright, denies the command and
/// tells the sender so: a 😕 reaction and a short reply. Nothing is dropped silently.
/// </summary>
public sealed partial class CommandAuthorization(PermissionChecker permissions, IGitHubIssues gitHub, IOptions<TriggerOptions> triggers)
{
    /// <summary>Lookups of one command before it is denied for want of an answer.</summary>
    public const int MaxLookups = 4;

    /// <summary>The wait after the first failed lookup; doubled after each further one.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(2);

    public async Task<Authorization> AuthorizeAsync(RunContext context, IssueCommand command, CancellationToken cancellationToken)
    {
        if (!command.RequiresPermission) return Authorization.Allowed;
        var state = context.State;
        if (context.GitHubPaused || state.PermissionRetryAt > context.Now) return Authorization.Pending;
        if (state.PermissionAttempts >= MaxLookups) return await DenyUnansweredAsync(context, command, "GitHub did not answer", cancellationToken);

        try
        {
            var allowed = await permissions.MayCommandAsync(context.Issue, command.Actor, cancellationToken);
            Reset(state);
            context.GitHubAnswered();
            if (!allowed) LogNotPermitted(context.Logger, context.Issue, command.Actor, command.Kind);
            return allowed ? Authorization.Allowed : Authorization.Denied;
        }
        catch (Exception ex) when (ex is GitHubRateLimitedException or GitHubUnavailableException)
        {
            state.PermissionAttempts++;
            state.PermissionRetryAt = context.Now + GitHubBackoff.Jittered(FirstRetryDelay, state.PermissionAttempts, MaxRetryDelay);
            LogLookupFailed(context.Logger, ex, context.Issue, command.Actor, state.PermissionAttempts, MaxLookups);
            if (ex is GitHubRateLimitedException limit) context.PauseGitHub(limit);
            context.Changed();
            return Authorization.Pending;
        }
        catch (GitHubRequestException ex)
        {
            LogLookupFailed(context.Logger, ex, context.Issue, command.Actor, MaxLookups, MaxLookups);
            return await DenyUnansweredAsync(context, command, ex.Message, cancellationToken);
        }
    }

    /// <summary>Denies the command and tells its sender why, best effort (GitHub may still be failing).</summary>
    private async Task<Authorization> DenyUnansweredAsync(RunContext context, IssueCommand command, string why, CancellationToken cancellationToken)
    {
        Reset(context.State);
        LogDeniedUnanswered(context.Logger, context.Issue, command.Actor, command.Kind, why);
        try
        {
            await gitHub.ReactAsync(context.Issue, command.CommentId, GitHubReaction.Confused, cancellationToken);
            await gitHub.CreateCommentAsync(context.Issue, Reply(command), cancellationToken);
        }
        catch (GitHubRateLimitedException limit)
        {
            context.PauseGitHub(limit);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTellFailed(context.Logger, ex, context.Issue, command.Actor);
        }

        return Authorization.Denied;
    }

    private string Reply(IssueCommand command)
    {
        var what = command.Source == CommandSource.Label ? "the trigger label" : $"`{triggers.Value.Command} {command.Kind.ToString().ToLowerInvariant()}`";
        return $"@{command.Actor} GitHub could not be asked whether you may command runs here, so {what} was not acted on. " +
            "Nothing was started or cancelled; please try again in a few minutes.";
    }

    private static void Reset(IssueState state) => (state.PermissionAttempts, state.PermissionRetryAt) = (0, null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: @{Actor} may not command runs; {Kind} ignored")]
    private static partial void LogNotPermitted(ILogger logger, IssueKey issue, string actor, CommandKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: could not read @{Actor}'s permission (lookup {Attempt} of {MaxLookups}); the command waits")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, IssueKey issue, string actor, int attempt, int maxLookups);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: @{Actor}'s {Kind} denied because GitHub could not be asked ({Why}); telling them")]
    private static partial void LogDeniedUnanswered(ILogger logger, IssueKey issue, string actor, CommandKind kind, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: could not tell @{Actor} that their command was denied")]
    private static partial void LogTellFailed(ILogger logger, Exception exception, IssueKey issue, string actor);
}
