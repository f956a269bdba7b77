using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Hostile;

/// <summary>
/// The service as a careful operator runs it (local sandboxes under bubblewrap, as root, the egress proxy with one
/// allowed host), holding canary secrets made for this run, served by Kestrel on a loopback port (a port a sandbox
/// could try), with small limits, and with the hostile agent as its agent command. The one hostile run is shared by
/// the suite's tests, each of which checks what one attack got.
/// </summary>
public sealed class HostileServiceFixture : LocalServiceFixture
{
    public const int HostileIssue = 801;
    private readonly FixtureSecrets _secrets = FixtureSecrets.Canaries();
    private readonly SemaphoreSlim _once = new(1, 1);
    private HostileRun? _run;

    public override FixtureSecrets Secrets => _secrets;

    public int HttpPort { get; } = FreePort();

    public AllowedHostServer AllowedHost { get; private set; } = null!;

    public string RemoteRoot => Path.Combine(Root, "git");

    public string DataPath => Settings["Storage:Path"];

    /// <summary>The hostile run, made by the first test that asks; the others get the same one.</summary>
    public async Task<HostileRun> HostileRunAsync()
    {
        await _once.WaitAsync();
        try
        {
            return _run ??= await HostileRun.StartAsync(this);
        }
        finally
        {
            _once.Release();
        }
    }

    protected override async Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder)
    {
        AllowedHost = await AllowedHostServer.StartAsync();
        var settings = new Dictionary<string, string>(await base.StartSandboxesAsync(agentsFolder))
        {
            ["Agent:Command"] = $"bash {Path.Combine(agentsFolder, "hostile-agent.sh")}",
            ["Sandbox:Local:Isolation"] = "bubblewrap",
            ["Sandbox:Network"] = "proxy",
            ["Sandbox:Network:Allow:0"] = $"127.0.0.1:{AllowedHost.Port}",
            ["Sandbox:Local:Limits:Processes"] = "128",
            ["Sandbox:Local:Limits:MemoryMegabytes"] = "256",
        };
        return settings;
    }

    protected override void ConfigureFactory(WebApplicationFactory<Program> factory) =>
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, HttpPort));

    protected override async ValueTask StopSandboxesAsync()
    {
        if (AllowedHost is not null) await AllowedHost.DisposeAsync();
        _once.Dispose();
        await base.StopSandboxesAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileServiceFixture>
{
    public const string Name = "hostile agent, local sandboxes as root";
}
