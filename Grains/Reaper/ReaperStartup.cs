using Orleans.Runtime;

namespace SandboxAgents.Reaper;

/// <summary>
/// Starts the orphan reaper once the silo is active: it sweeps at once, then every <see cref="ReaperOptions.Period"/>.
/// A silo start in a cluster asks again, which is harmless: starting is idempotent.
/// </summary>
internal sealed class ReaperStartup(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ReaperStartup), ServiceLifecycleStage.Active, _ => grains.GetGrain<IOrphanReaperGrain>(0).StartAsync());
}
