using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.GitHub.App;

namespace SandboxAgents.Deliveries;

/// <summary>
/// Looks at the App's recent webhook deliveries (<c>GET /app/hook/deliveries</c>, newest first, page by page back to
/// the newest one the last look saw) and asks GitHub to redeliver the failed ones. A redelivery keeps its
/// <c>X-GitHub-Delivery</c> GUID, so one that did arrive after all is still dropped by the inbox. A reminder
/// makes it look every <see cref="GitHubOptions.DeliveryRecoveryPeriod"/> across restarts.
/// </summary>
public sealed partial class DeliveryRecoveryGrain(
    [PersistentState(StorageNames.DeliveryRecoveryState, StorageNames.Runs)] IPersistentState<DeliveryRecoveryState> state,
    GitHubAppClient app,
    IOptions<GitHubOptions> options,
    ILogger<DeliveryRecoveryGrain> logger) : Grain, IDeliveryRecoveryGrain, IRemindable
{
    /// <summary>At most this many pages of 100 are read per look (GitHub keeps deliveries for three days).</summary>
    private const int MaxPages = 20;

    private IGrainTimer? _first;

    public async Task StartAsync()
    {
        var period = options.Value.DeliveryRecoveryPeriod;
        await this.RegisterOrUpdateReminder(StorageNames.DeliveryRecoveryReminder, period, period);
        // The first look happens after this call returns, so a slow GitHub never holds up the silo's start.
        _first ??= this.RegisterGrainTimer(LookAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => LookAsync(CancellationToken.None);

    public async Task<IReadOnlyList<long>> RecoverAsync()
    {
        var seen = await ListSinceLastSeenAsync();
        var asked = new List<long>();
        if (state.State.LastSeenId is not null)
        {
            foreach (var id in FailedDeliveries.ToRedeliver(seen))
            {
                try
                {
                    await app.RedeliverAsync(id, CancellationToken.None);
                    asked.Add(id);
                }
                catch (Octokit.ApiException ex)
                {
                    LogRedeliveryRefused(logger, ex, id);
                }
            }
        }

        state.State.LastSeenId = seen.Count > 0 ? Math.Max(seen.Max(d => d.Id), state.State.LastSeenId ?? 0) : state.State.LastSeenId ?? 0;
        await state.WriteStateAsync();
        LogLooked(logger, seen.Count, asked.Count);
        return asked;
    }

    private async Task<List<HookDelivery>> ListSinceLastSeenAsync()
    {
        var seen = new List<HookDelivery>();
        Uri? page = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var (deliveries, next) = await app.ListDeliveriesAsync(page, CancellationToken.None);
            var fresh = deliveries.TakeWhile(d => state.State.LastSeenId is not { } last || d.Id > last).ToList();
            seen.AddRange(fresh);
            if (fresh.Count < deliveries.Count || next is null) break;
            page = next;
        }

        return seen;
    }

    private async Task LookAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RecoverAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLookFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook deliveries: {Seen} new since the last look, {Redelivered} failed ones redelivered")]
    private static partial void LogLooked(ILogger logger, int seen, int redelivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub refused to redeliver delivery {DeliveryId}")]
    private static partial void LogRedeliveryRefused(ILogger logger, Exception exception, long deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look at the App's webhook deliveries; the next look tries again")]
    private static partial void LogLookFailed(ILogger logger, Exception exception);
}
