using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Gateway.Events;

/// <summary>Keeps <see cref="RunEventHub"/> subscribed to the run registry, renewing before the subscription lapses.</summary>
public sealed partial class RegistrySubscription(IGrainFactory grains, RunEventHub hub, TimeProvider clock, ILogger<RegistrySubscription> logger) : BackgroundService
{
    private static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IRunRegistryObserver>(hub);
        var registry = grains.GetGrain<IRunRegistryGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.SubscribeAsync(reference);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSubscribeFailed(logger, ex);
            }

            try
            {
                await Task.Delay(Renewal, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await registry.UnsubscribeAsync(reference).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the run registry; live updates pause until the next try")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
