using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SandboxAgents.Runs;

namespace SandboxAgents.Installations;

/// <summary>
/// One installation of the App. A suspension is kept durably so that triggers are refused while it lasts; an
/// uninstall, a suspension or repositories taken out of the installation cancel the active runs they affect, found
/// in the run registry, with a command from GitHub itself (no permission check; the grains drop a redelivery).
/// </summary>
public sealed partial class InstallationGrain(
    [PersistentState(StorageNames.InstallationState, StorageNames.Runs)] IPersistentState<InstallationState> state,
    [FromKeyedServices(RunClock.Key)] TimeProvider clock,
    ILogger<InstallationGrain> logger) : Grain, IInstallationGrain
{
    public async Task<int> ApplyAsync(InstallationChange change)
    {
        if (change.Kind is InstallationChangeKind.Suspended or InstallationChangeKind.Unsuspended)
        {
            state.State.Suspended = change.Kind == InstallationChangeKind.Suspended;
            state.State.Account = change.Account;
            state.State.ChangedAt = clock.GetUtcNow();
            state.State.ChangedBy = change.Actor;
            await state.WriteStateAsync();
            LogSuspension(logger, change.InstallationId, change.Account, state.State.Suspended, change.Actor);
        }

        if (SourceOf(change.Kind) is not { } source) return 0;
        var active = await GrainFactory.GetGrain<IRunRegistryGrain>(0).FindActiveAsync(change.Account, change.Repositories);
        foreach (var run in active)
        {
            var cancel = new IssueCommand(CommandKind.Cancel, source, change.Actor, change.DeliveryId, Issue: null);
            await GrainFactory.GetGrain<ISandboxGrain>(run.Key).SubmitAsync(cancel);
        }

        LogCancelled(logger, change.InstallationId, change.Kind, active.Count);
        return active.Count;
    }

    public Task<bool> IsSuspendedAsync() => Task.FromResult(state.State.Suspended);

    private static CommandSource? SourceOf(InstallationChangeKind kind) => kind switch
    {
        InstallationChangeKind.Uninstalled => CommandSource.AppUninstalled,
        InstallationChangeKind.Suspended => CommandSource.AppSuspended,
        InstallationChangeKind.RepositoriesRemoved => CommandSource.RepositoryRemoved,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation {InstallationId} ({Account}): suspended is now {Suspended}, by @{Actor}")]
    private static partial void LogSuspension(ILogger logger, long installationId, string account, bool suspended, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Installation {InstallationId}: {Kind}; {Count} active runs asked to cancel")]
    private static partial void LogCancelled(ILogger logger, long installationId, InstallationChangeKind kind, int count);
}
