using Microsoft.Extensions.Options;
using Orleans.Runtime;
using SandboxAgents.GitHub;

namespace SandboxAgents.Deliveries;

/// <summary>With App credentials, starts the delivery recovery once the silo is active (idempotent in a cluster).</summary>
internal sealed class DeliveryRecoveryStartup(IGrainFactory grains, IOptions<GitHubOptions> options) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DeliveryRecoveryStartup), ServiceLifecycleStage.Active,
            _ => options.Value.UsesApp ? grains.GetGrain<IDeliveryRecoveryGrain>(0).StartAsync() : Task.CompletedTask);
}
