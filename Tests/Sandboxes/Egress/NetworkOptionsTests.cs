using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>How <c>Sandbox:Network</c> and the model keys of <c>Agent</c> are read, and what stops the service from starting.</summary>
public sealed class NetworkOptionsTests
{
    [Fact]
    public void Bind_ModeAsTheSectionValue_AndAllowAsItsChildren()
    {
        var options = Bind(new() { ["Sandbox:Network"] = " None ", ["Sandbox:Network:Allow:0"] = "pypi.org", ["Sandbox:Network:Allow:1"] = "*.corp.example:8443" });

        Assert.Equal(NetworkOptions.None, options.Mode);
        Assert.Equal(["pypi.org", "*.corp.example:8443"], options.EffectiveAllow);
    }

    [Fact]
    public void Bind_ModeAsAChildKey_IsReadToo()
    {
        var options = Bind(new() { ["Sandbox:Network:Mode"] = "host" });

        Assert.Equal(NetworkOptions.Host, options.Mode);
    }

    [Fact]
    public void Bind_Nothing_IsProxyWithTheDefaultList()
    {
        var options = Bind([]);

        Assert.Equal(NetworkOptions.Proxy, options.Mode);
        Assert.Same(NetworkOptions.DefaultAllow, options.EffectiveAllow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
    }

    [Fact]
    public void Bind_ModelApiKeys_FromSectionAgent()
    {
        using var services = Services(new() { ["Agent:ModelApiUrl"] = "https://gateway.example/anthropic", ["Agent:ModelApiKey"] = "sk-1" });

        var options = services.GetRequiredService<IOptions<ModelApiOptions>>().Value;

        Assert.Equal(new Uri("https://gateway.example/anthropic"), options.ModelApiUrl);
        Assert.Equal("sk-1", options.ModelApiKey);
    }

    [Theory]
    [InlineData("Sandbox:Network", "open", "must be 'proxy', 'none' or 'host'")]
    [InlineData("Sandbox:Network:Allow:0", "https://pypi.org", "'https://pypi.org' is not a host name")]
    [InlineData("Sandbox:Network:ConnectTimeout", "00:00:00", "must be positive")]
    [InlineData("Agent:ModelApiUrl", "ftp://models.example", "absolute http(s) URL")]
    public void Validate_BadSetting_StopsTheStart(string key, string value, string message)
    {
        using var services = Services(new() { [key] = value });

        var failure = Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<NetworkOptions>>().Value;
            _ = services.GetRequiredService<IOptions<ModelApiOptions>>().Value;
        });
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEgressProxy_Twice_RegistersOnce()
    {
        var services = new ServiceCollection().AddEgressProxy().AddEgressProxy();

        Assert.Single(services, d => d.ServiceType == typeof(EgressProxy));
    }

    private static NetworkOptions Bind(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<NetworkOptions>>().Value;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .AddLogging()
        .AddEgressProxy()
        .BuildServiceProvider();
}
