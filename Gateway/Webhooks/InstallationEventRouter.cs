using Octokit.Webhooks;
using Octokit.Webhooks.Events.Installation;
using Octokit.Webhooks.Events.InstallationRepositories;
using Octokit.Webhooks.Models;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Maps an installation delivery to an <see cref="InstallationChange"/>, without side effects: the App uninstalled or
/// suspended (every repository of the installation, or those it lists when it covers a selection) or repositories
/// taken out of it. Null for anything else.
/// </summary>
public static class InstallationEventRouter
{
    public static InstallationChange? Route(WebhookEvent delivery, string? deliveryId) => delivery switch
    {
        InstallationDeletedEvent e => Change(e, InstallationChangeKind.Uninstalled, Selected(e), deliveryId),
        InstallationSuspendEvent e => Change(e, InstallationChangeKind.Suspended, Selected(e), deliveryId),
        InstallationUnsuspendEvent e => Change(e, InstallationChangeKind.Unsuspended, null, deliveryId),
        InstallationRepositoriesRemovedEvent e =>
            Change(e.Installation, e.Sender, InstallationChangeKind.RepositoriesRemoved, [.. e.RepositoriesRemoved.Select(r => r.FullName)], deliveryId),
        _ => null,
    };

    private static InstallationChange? Change(
        Octokit.Webhooks.Events.InstallationEvent e, InstallationChangeKind kind, IReadOnlyList<string>? repositories, string? deliveryId) =>
        Change(e.Installation, e.Sender, kind, repositories, deliveryId);

    private static InstallationChange? Change(
        Installation? installation, User? sender, InstallationChangeKind kind, IReadOnlyList<string>? repositories, string? deliveryId)
    {
        if (installation is not { Id: > 0, Account.Login: { Length: > 0 } account }) return null;
        return new InstallationChange(kind, installation.Id, account, repositories, sender?.Login ?? account, deliveryId);
    }

    /// <summary>The repositories listed when the installation covers a selection of them; null (all of the account's) otherwise.</summary>
    private static List<string>? Selected(Octokit.Webhooks.Events.InstallationEvent e) =>
        e.Installation?.RepositorySelection.Value == InstallationRepositorySelection.Selected && e.Repositories is { } listed
            ? [.. listed.Select(r => r.FullName)]
            : null;
}
