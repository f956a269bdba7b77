namespace SandboxAgents;

/// <summary>
/// Recovers webhook deliveries GitHub could not make while the service was down or failing (one grain, key 0, only
/// with App credentials): GitHub never retries on its own, so this asks it to redeliver the failed ones.
/// </summary>
[Alias("SandboxAgents.IDeliveryRecoveryGrain")]
public interface IDeliveryRecoveryGrain : IGrainWithIntegerKey
{
    /// <summary>Looks for failed deliveries now and then every <c>GitHub:DeliveryRecoveryPeriod</c>. Idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>
    /// Lists the App's deliveries since the newest one seen last time, asks GitHub to redeliver those that failed,
    /// remembers the newest one seen, and returns the ids it asked to redeliver. The first look only remembers.
    /// </summary>
    [Alias("Recover")]
    Task<IReadOnlyList<long>> RecoverAsync();
}
