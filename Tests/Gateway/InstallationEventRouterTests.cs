using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

public sealed class InstallationEventRouterTests
{
    [Fact]
    public void Route_UninstallOfASelection_NamesItsRepositories()
    {
        var change = InstallationEventRouter.Route(Payloads.Parse("installation", Payloads.Load("installation.deleted")), "d-1");

        Assert.Equal(new InstallationChange(InstallationChangeKind.Uninstalled, 2, "octocat", change!.Repositories, "octocat", "d-1"), change);
        Assert.Equal(["octocat/Hello-World"], change.Repositories!);
    }

    [Fact]
    public void Route_UninstallOfAllRepositories_CoversTheWholeAccount()
    {
        var payload = Payloads.Load("installation.deleted");
        payload["installation"]!["repository_selection"] = "all";

        var change = InstallationEventRouter.Route(Payloads.Parse("installation", payload), "d-2");

        Assert.Equal((InstallationChangeKind.Uninstalled, "octocat"), (change!.Kind, change.Account));
        Assert.Null(change.Repositories);
    }

    [Theory]
    [InlineData("installation.suspend", InstallationChangeKind.Suspended)]
    [InlineData("installation.unsuspend", InstallationChangeKind.Unsuspended)]
    public void Route_Suspension_CoversTheWholeInstallation(string file, InstallationChangeKind kind)
    {
        var change = InstallationEventRouter.Route(Payloads.Parse("installation", Payloads.Load(file)), "d-3");

        Assert.Equal(new InstallationChange(kind, 16598467, "Codertocat", null, "Codertocat", "d-3"), change);
    }

    [Fact]
    public void Route_RepositoriesRemoved_NamesThem()
    {
        var change = InstallationEventRouter.Route(Payloads.Parse("installation_repositories", Payloads.Load("installation_repositories.removed")), "d-4");

        Assert.Equal((InstallationChangeKind.RepositoriesRemoved, 2L, "octocat"), (change!.Kind, change.InstallationId, change.Account));
        Assert.Equal(["octocat/Hello-World"], change.Repositories!);
    }

    [Theory]
    [InlineData("installation", "installation.created")]
    [InlineData("installation_repositories", "installation_repositories.added")]
    [InlineData("issues", "issues.labeled")]
    public void Route_OtherEvents_AreNoInstallationChange(string eventName, string file) =>
        Assert.Null(InstallationEventRouter.Route(Payloads.Parse(eventName, Payloads.Load(file)), "d-5"));
}
