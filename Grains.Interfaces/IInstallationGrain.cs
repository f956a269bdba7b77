using Orleans.Concurrency;

namespace SandboxAgents;

/// <summary>One installation of the GitHub App, keyed by GitHub's installation id: whether it is suspended, and what its end means for runs.</summary>
[Alias("SandboxAgents.IInstallationGrain")]
public interface IInstallationGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a suspension (or its end) durably and cancels the active runs of the repositories the change takes
    /// away, found in the run registry; returns how many runs were asked to cancel. Idempotent per delivery.
    /// </summary>
    [Alias("Apply")]
    Task<int> ApplyAsync(InstallationChange change);

    /// <summary>Whether the installation is suspended, so its repositories' triggers are not acted on. No side effects.</summary>
    [Alias("IsSuspended"), AlwaysInterleave]
    Task<bool> IsSuspendedAsync();
}
