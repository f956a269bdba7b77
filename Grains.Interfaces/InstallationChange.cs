namespace SandboxAgents;

/// <summary>What GitHub said happened to one installation of the App.</summary>
[GenerateSerializer, Alias("SandboxAgents.InstallationChangeKind")]
public enum InstallationChangeKind
{
    Uninstalled = 0,
    Suspended = 1,
    Unsuspended = 2,
    RepositoriesRemoved = 3,
}

/// <summary>An installation event, as the gateway understood it.</summary>
/// <param name="Account">The login of the account the App is installed on; every repository of the installation is its.</param>
/// <param name="Repositories">The <c>owner/repo</c> names affected, or null for every repository of the account.</param>
/// <param name="Actor">The GitHub login that made the change.</param>
/// <param name="DeliveryId">GitHub's <c>X-GitHub-Delivery</c>: each issue grain drops it when seen before.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.InstallationChange")]
public sealed record InstallationChange(
    [property: Id(0)] InstallationChangeKind Kind,
    [property: Id(1)] long InstallationId,
    [property: Id(2)] string Account,
    [property: Id(3)] IReadOnlyList<string>? Repositories,
    [property: Id(4)] string Actor,
    [property: Id(5)] string? DeliveryId);
