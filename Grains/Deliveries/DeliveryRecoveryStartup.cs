using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;

namespace SandboxAgents.Deliveries;

/// <summary>
/// With App credentials, starts the delivery recovery once the application has started: after the webhook endpoint
/// listens, so that what GitHub redelivers at once finds it. Idempotent in a cluster (every silo asks).
/// </summary>
internal sealed partial class DeliveryRecoveryStartup(
    IGrainFactory grains,
    IOptions<GitHubOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<DeliveryRecoveryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.UsesApp) lifetime.ApplicationStarted.Register(() => _ = StartRecoveryAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Errors end here, logged: nothing awaits this call.</summary>
    private async Task StartRecoveryAsync()
    {
        try
        {
            await grains.GetGrain<IDeliveryRecoveryGrain>(0).StartAsync();
        }
        catch (Exception ex)
        {
            LogStartFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The recovery of failed webhook deliveries could not start; it starts with the next restart")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
