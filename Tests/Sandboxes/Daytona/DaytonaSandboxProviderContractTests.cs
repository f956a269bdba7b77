using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Hosting;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Daytona;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

/// <summary>The provider contract, run against the Daytona adapter talking to the fake Daytona built from API.md.</summary>
public sealed class DaytonaSandboxProviderContractTests : SandboxProviderContractTests
{
    private FakeDaytonaServer _daytona = null!;
    private ServiceProvider? _services;

    protected override bool KeepsOutputOfTimedOutCommands => false;

    public override async Task InitializeAsync() => _daytona = await FakeDaytonaServer.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_services is not null) await _services.DisposeAsync();
        await _daytona.DisposeAsync();
    }

    protected override ISandboxProvider CreateProvider()
    {
        _services = DaytonaProviders.Build(_daytona);
        return _services.GetRequiredService<ISandboxProvider>();
    }

    protected override void AssertNothingLeftOf(SandboxInfo sandbox)
    {
        Assert.DoesNotContain(_daytona.LiveSandboxes, s => s.Id == sandbox.Id);
        Assert.False(_daytona.HasLiveProcesses(sandbox.Id));
    }

    [Fact]
    public async Task Create_SendsTheSafetyNets_AndWaitsForStarted()
    {
        var sandbox = await CreateAsync();

        var created = _daytona.Sandbox(sandbox.Id)!;
        Assert.Equal("started", created.State);
        Assert.Equal(30, created.AutoStopInterval);
        Assert.Equal(0, created.AutoDeleteInterval);
        Assert.Contains(_daytona.Requests, r => r.Method == "POST" && r.PathAndQuery == "/api/sandbox" && r.Body.Contains("\"public\":false", StringComparison.Ordinal));
        Assert.True(_daytona.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == $"/api/sandbox/{sandbox.Id}") >= 2, "polled until started");
    }

    [Fact]
    public async Task Create_FromAnImage_SendsBuildInfoAndResources_NotASnapshot()
    {
        await using var services = DaytonaProviders.Build(_daytona, new()
        {
            ["Daytona:Image"] = "debian:12", ["Daytona:Snapshot"] = "", ["Daytona:Cpu"] = "2", ["Daytona:Memory"] = "4", ["Daytona:Disk"] = "8",
        });
        var provider = services.GetRequiredService<ISandboxProvider>();

        var sandbox = await provider.CreateAsync(new SandboxSpec(NewName(), new Dictionary<string, string>(), new Dictionary<string, string>()), CancellationToken.None);
        await provider.DeleteAsync(sandbox.Id, CancellationToken.None);

        var create = _daytona.Requests.Last(r => r.Method == "POST" && r.PathAndQuery == "/api/sandbox").Body;
        Assert.Contains("\"buildInfo\":{\"dockerfileContent\":\"FROM debian:12\"}", create);
        Assert.Contains("\"cpu\":2", create);
        Assert.DoesNotContain("\"snapshot\"", create);
    }

    [Fact]
    public async Task Toolbox_Requests_CarryTheSdkVersion()
    {
        var sandbox = await CreateAsync();
        await Provider.ExecuteAsync(sandbox.Id, "true", CommandTimeout, CancellationToken.None);

        Assert.All(_daytona.Requests.Where(r => r.IsToolbox), r => Assert.Equal("0.190.0", r.Header("X-Daytona-SDK-Version")));
    }
}

/// <summary>Builds the service's own Daytona provider, configured only through its settings, against a fake.</summary>
internal static class DaytonaProviders
{
    public static ServiceProvider Build(FakeDaytonaServer daytona, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Provider"] = "daytona",
            ["Daytona:ApiUrl"] = daytona.ApiUrl.ToString(),
            ["Daytona:ApiKey"] = FakeDaytonaServer.ApiKey,
            ["Daytona:StartPollInterval"] = "00:00:00.010",
            ["Daytona:RetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddSandboxRuns();
        return services.BuildServiceProvider();
    }
}
