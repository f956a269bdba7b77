namespace SandboxAgents;

/// <summary>
/// Deletes sandboxes that carry this installation's labels but that no live run owns (one grain, key 0). It runs when
/// the service starts and then periodically; sandboxes of other installations or without our labels are never touched.
/// </summary>
[Alias("SandboxAgents.IOrphanReaperGrain")]
public interface IOrphanReaperGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the periodic sweep if it is not running. Idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Sweeps once now and returns the ids of the sandboxes it deleted.</summary>
    [Alias("Reap")]
    Task<IReadOnlyList<string>> ReapAsync();
}
