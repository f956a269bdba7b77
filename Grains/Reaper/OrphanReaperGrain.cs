using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Reaper;

/// <summary>
/// Compares the provider's own list of this installation's sandboxes with what the issue grains own, and deletes the
/// rest: sandboxes whose run ended, whose run is unknown, or whose create outlived the run that asked for it.
/// </summary>
public sealed partial class OrphanReaperGrain(
    ISandboxProvider sandboxes,
    IOptions<RunOptions> runs,
    IOptions<ReaperOptions> options,
    ILogger<OrphanReaperGrain> logger) : Grain, IOrphanReaperGrain
{
    private IGrainTimer? _sweep;

    public Task StartAsync()
    {
        _sweep ??= this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = options.Value.Period,
            Interleave = false,
            KeepAlive = true,
        });
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<string>> ReapAsync()
    {
        var ours = new Dictionary<string, string>
        {
            [SandboxLabels.Service] = SandboxLabels.ServiceValue,
            [SandboxLabels.Instance] = runs.Value.InstanceId,
        };
        var deleted = new List<string>();
        foreach (var sandbox in await sandboxes.ListAsync(ours, CancellationToken.None))
        {
            if (await IsOwnedAsync(sandbox)) continue;
            if (await sandboxes.DeleteAsync(sandbox.Id, CancellationToken.None)) deleted.Add(sandbox.Id);
            LogReaped(logger, sandbox.Id, sandbox.Labels.GetValueOrDefault(SandboxLabels.Issue) ?? "no issue");
        }

        return deleted;
    }

    private async Task<bool> IsOwnedAsync(SandboxInfo sandbox) =>
        sandbox.Labels.TryGetValue(SandboxLabels.Issue, out var issue)
        && IssueKey.TryParse(issue, out var key)
        && await GrainFactory.GetGrain<ISandboxGrain>(key.ToString()).OwnsSandboxAsync(sandbox.Id, sandbox.Labels.GetValueOrDefault(SandboxLabels.Run));

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReapAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaper: deleting orphaned sandbox {SandboxId} ({Issue}): no live run owns it")]
    private static partial void LogReaped(ILogger logger, string sandboxId, string issue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaper: a sweep failed; the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
