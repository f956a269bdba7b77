using Microsoft.Extensions.Logging;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs;

/// <summary>
/// The follows of an issue's running runs, one per run's current command, kept by the grain activation. A follow's end
/// wakes the grain through <paramref name="ended"/>, which runs on the grain's scheduler and only re-arms its timer;
/// everything else here is read and changed in ticks.
/// </summary>
public sealed class CommandFollows(IssueKey issue, ISandboxProvider sandboxes, Action ended, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, CommandFollow> _byRun = new(StringComparer.Ordinal);

    /// <summary>A follow ended during a tick, after the tick had looked at its run: the next tick is due at once.</summary>
    public bool AnyEndUnseen => _byRun.Values.Any(f => f.EndUnseen);

    /// <summary>The follow of the run's current command; a new one, not started, when there is none.</summary>
    public CommandFollow For(RunRecord run)
    {
        if (_byRun.TryGetValue(run.RunId, out var follow) && follow.CommandId == run.CommandId) return follow;
        follow?.Dispose();
        follow = new CommandFollow(run.RunId, run.SandboxId!, run.CommandId!, run.Settings.LogTailLines);
        _byRun[run.RunId] = follow;
        return follow;
    }

    /// <summary>
    /// Follows the current command of each running run (a follow that ended is started again once
    /// <paramref name="retryAfter"/> has passed since a tick saw it end) and stops the follows of every other run.
    /// </summary>
    public void Keep(IEnumerable<RunRecord> runs, DateTimeOffset now, TimeSpan retryAfter)
    {
        var running = runs.Where(r => r is { State: RunState.Running, SandboxId: not null, CommandId: not null }).ToList();
        foreach (var runId in _byRun.Keys.Where(id => !running.Exists(r => r.RunId == id)).ToList())
        {
            _byRun[runId].Dispose();
            _byRun.Remove(runId);
        }

        foreach (var follow in running.Select(For).Where(f => f.MayStart(now, retryAfter)))
            follow.Start(sandboxes, ended, issue, logger);
    }

    public void Dispose()
    {
        foreach (var follow in _byRun.Values) follow.Dispose();
        _byRun.Clear();
    }
}
