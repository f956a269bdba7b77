using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// A local provider built the way the service builds it: its options, the egress proxy (registered by
/// <see cref="EgressServiceCollectionExtensions.AddEgressProxy"/> over in-memory settings, <c>Sandbox:Network</c> among
/// them) and a clock. Disposing it closes the proxy.
/// </summary>
public sealed class LocalProviderHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LocalProviderHost(ServiceProvider services) => _services = services;

    public LocalSandboxProvider Provider => _services.GetRequiredService<LocalSandboxProvider>();

    public EgressProxy Egress => _services.GetRequiredService<EgressProxy>();

    public LogCollector Logs => _services.GetRequiredService<LogCollector>();

    public static LocalProviderHost Create(LocalSandboxOptions options, TimeProvider? time = null, string network = NetworkOptions.Proxy, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { [NetworkOptions.SectionName] = network };
        var logs = new LogCollector();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(all).Build())
            .AddSingleton(logs)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddSingleton(Options.Create(options))
            .AddSingleton(time ?? TimeProvider.System)
            .AddEgressProxy()
            .AddSingleton<LocalSandboxProvider>()
            .BuildServiceProvider();
        return new LocalProviderHost(services);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
