using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Hosting;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Daytona;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class SandboxProviderSelectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Sandbox:Local:Root", Path.Combine(Path.GetTempPath(), "selection-tests"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddSandboxRuns();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Default_IsLocal()
    {
        await using var provider = Build([]);

        Assert.IsType<LocalSandboxProvider>(provider.GetRequiredService<ISandboxProvider>());
    }

    [Theory]
    [InlineData("Sandbox:Provider", "daytona")]
    [InlineData("Sandbox:Provider", " Daytona ")]
    [InlineData(SandboxProviderExtensions.DaytonaFlag, "true")]
    public void DaytonaSelected_WithKey_IsDaytona(string key, string value)
    {
        using var provider = Build(new() { [key] = value, ["Daytona:ApiKey"] = "dtn_test" });

        Assert.IsType<DaytonaSandboxProvider>(provider.GetRequiredService<ISandboxProvider>());
    }

    [Fact]
    public void DaytonaSelected_WithoutKey_RefusesWithAClearMessage()
    {
        using var provider = Build(new() { [SandboxProviderExtensions.DaytonaFlag] = "true" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SandboxOptions>>().Value);
        Assert.Contains("Daytona:ApiKey is not set", error.Message);
    }

    [Fact]
    public void UnknownProvider_Refused()
    {
        using var provider = Build(new() { ["Sandbox:Provider"] = "docker" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SandboxOptions>>().Value);
        Assert.Contains("'local' or 'daytona'", error.Message);
    }

    [Fact]
    public void DaytonaResources_WithoutAnImage_Refused()
    {
        using var provider = Build(new() { ["Sandbox:Provider"] = "daytona", ["Daytona:ApiKey"] = "dtn_test", ["Daytona:Cpu"] = "2" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SandboxOptions>>().Value);
        Assert.Contains("Daytona:Image", error.Message);
    }

    [Theory]
    [InlineData("30", "00:16:00")]
    [InlineData("5", "00:03:00")]
    [InlineData("30", "00:00:00")]
    public void DaytonaFollowRenewal_OverHalfTheAutoStop_Refused(string autoStopMinutes, string renewInterval)
    {
        using var provider = Build(new()
        {
            ["Sandbox:Provider"] = "daytona", ["Daytona:ApiKey"] = "dtn_test", ["Daytona:AutoStopMinutes"] = autoStopMinutes, ["Daytona:FollowRenewInterval"] = renewInterval,
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SandboxOptions>>().Value);
        Assert.Contains("Daytona:FollowRenewInterval", error.Message);
    }

    [Fact]
    public void DaytonaFollowRenewal_Default_FitsTheShortestAutoStopTheLiveTestsUse()
    {
        using var provider = Build(new() { ["Sandbox:Provider"] = "daytona", ["Daytona:ApiKey"] = "dtn_test", ["Daytona:AutoStopMinutes"] = "5" });

        Assert.Equal(SandboxOptions.Daytona, provider.GetRequiredService<IOptions<SandboxOptions>>().Value.Provider);
    }
}
