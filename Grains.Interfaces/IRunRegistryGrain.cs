using Orleans.Concurrency;

namespace SandboxAgents;

/// <summary>
/// The index of every issue's latest run (one grain, key 0), kept by the issue grains and read by the dashboard and
/// the list API, so that they never fan out to every issue. Bounded: the oldest ended runs fall out first.
/// </summary>
[Alias("SandboxAgents.IRunRegistryGrain")]
public interface IRunRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records an issue's latest run and tells subscribers, once it is stored. Idempotent: an older update than the
    /// one held is ignored. Interleaves, so that concurrent records share one write.
    /// </summary>
    [Alias("Record"), AlwaysInterleave]
    Task RecordAsync(RunEntry entry);

    /// <summary>A page of runs, newest first. No side effects.</summary>
    [Alias("GetPage"), AlwaysInterleave]
    Task<RunPage> GetPageAsync(RunQuery query);

    /// <summary>
    /// The active runs of the account's repositories: of those named (<c>owner/repo</c>), or of every one when
    /// <paramref name="repositories"/> is null. No side effects.
    /// </summary>
    [Alias("FindActive"), AlwaysInterleave]
    Task<IReadOnlyList<RunEntry>> FindActiveAsync(string account, IReadOnlyList<string>? repositories);

    /// <summary>Subscribes (or renews) an observer; subscriptions lapse unless renewed within a few minutes.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(IRunRegistryObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IRunRegistryObserver observer);
}
