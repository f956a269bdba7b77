using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SandboxAgents.Hosting;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The service with Daytona sandboxes, switched on by the feature flag <c>USE_DAYTONA_SANDBOXES=true</c>, talking
/// to the fake Daytona (whose session commands are real local processes, so the real runner and git work). It is
/// served by Kestrel on a loopback port named as <c>Gateway:PublicUrl</c>, which is how remote sandboxes reach the
/// model through the service's relay.
/// </summary>
public sealed class DaytonaServiceFixture : ServiceFixture
{
    private readonly int _port = FreePort();

    public FakeDaytonaServer Daytona { get; private set; } = null!;

    public override bool HasLiveSandboxes => Daytona.LiveSandboxes.Count > 0;

    protected override async Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder)
    {
        Daytona = await FakeDaytonaServer.StartAsync();
        return new Dictionary<string, string>
        {
            [SandboxProviderExtensions.DaytonaFlag] = "true",
            ["Daytona:ApiUrl"] = Daytona.ApiUrl.ToString(),
            ["Daytona:ApiKey"] = FakeDaytonaServer.ApiKey,
            ["Daytona:StartPollInterval"] = "00:00:00.010",
            // Short, so that a test sees the log follow's renewal (what keeps a watched sandbox active) within seconds.
            ["Daytona:FollowRenewInterval"] = "00:00:01",
            ["Daytona:RetryDelay"] = "00:00:00.020",
            ["Daytona:AttemptTimeout"] = "00:00:05",
            ["Gateway:PublicUrl"] = $"http://127.0.0.1:{_port}",
        };
    }

    protected override void ConfigureFactory(WebApplicationFactory<Program> factory) =>
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port));

    protected override async ValueTask StopSandboxesAsync()
    {
        if (Daytona is not null) await Daytona.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DaytonaServiceCollection : ICollectionFixture<DaytonaServiceFixture>
{
    public const string Name = "service end to end, Daytona sandboxes";
}
