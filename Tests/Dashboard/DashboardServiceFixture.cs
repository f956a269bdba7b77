using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Dashboard;

/// <summary>The service with local sandboxes, served by Kestrel on a loopback port so that a real browser can open it.</summary>
public sealed class DashboardServiceFixture : LocalServiceFixture
{
    /// <summary>Where the service listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => Http.BaseAddress ?? throw new InvalidOperationException("The service has not started.");

    protected override void ConfigureFactory(WebApplicationFactory<Program> factory) =>
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServiceFixture>
{
    public const string Name = "dashboard, service on a loopback port";
}
