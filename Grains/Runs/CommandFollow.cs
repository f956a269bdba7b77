using Microsoft.Extensions.Logging;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// The grain's follow of one run's runner command (<see cref="ISandboxProvider.FollowCommandAsync"/>), in memory only:
/// a new activation follows anew. It keeps what the follow handed on, when a real status was last read, and when a
/// tick first saw the follow over (the command ended or was lost, or the follow broke), which paces its restart.
/// </summary>
public sealed partial class CommandFollow(string runId, string sandboxId, string commandId, int tailLines) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _following;
    private DateTimeOffset? _statusAt;
    private DateTimeOffset? _endSeenAt;

    public string CommandId => commandId;

    public FollowedLines Lines { get; } = new(tailLines);

    /// <summary>The follow ended, and no tick has looked since.</summary>
    public bool EndUnseen => _following is { IsCompleted: true } && _endSeenAt is null;

    /// <summary>
    /// Whether the tick must read the command's status: always once the follow is over (it tells how the command
    /// ended), before it ever started, and otherwise when the last status read is <paramref name="fallback"/> old.
    /// </summary>
    public bool NeedsStatus(DateTimeOffset now, TimeSpan fallback)
    {
        if (_following is null) return true;
        if (_following.IsCompleted)
        {
            _endSeenAt ??= now;
            return true;
        }

        return _statusAt is not { } read || now - read >= fallback;
    }

    public void StatusRead(DateTimeOffset now) => _statusAt = now;

    /// <summary>Not started yet, or over and seen so at least <paramref name="retryAfter"/> ago: a broken follow is not retried in a tight loop.</summary>
    public bool MayStart(DateTimeOffset now, TimeSpan retryAfter) =>
        _following is null || (_following.IsCompleted && _endSeenAt is { } seen && now >= seen + retryAfter);

    /// <summary>
    /// Starts following. <paramref name="ended"/> runs when the follow returns or breaks, on the scheduler that started
    /// it (the grain's), unless it was stopped first.
    /// </summary>
    public void Start(ISandboxProvider sandboxes, Action ended, IssueKey issue, ILogger logger)
    {
        _endSeenAt = null;
        _following = FollowAsync(sandboxes, ended, issue, logger);
    }

    private async Task FollowAsync(ISandboxProvider sandboxes, Action ended, IssueKey issue, ILogger logger)
    {
        try
        {
            await sandboxes.FollowCommandAsync(sandboxId, commandId, Lines.Add, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            // Whatever broke it, the answer is the same: the next tick reads the status, a later one follows again.
            LogFollowBroken(logger, ex, issue, runId, commandId);
        }

        if (!_stop.IsCancellationRequested) ended();
    }

    /// <summary>Stops following (not the command).</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: run {RunId} lost the follow of its command {CommandId}; its status is read instead until it follows again")]
    private static partial void LogFollowBroken(ILogger logger, Exception exception, IssueKey issue, string runId, string commandId);
}
