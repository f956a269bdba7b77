using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>Registers the egress proxy: its options (validated at start), the model API's HTTP client and the singleton.</summary>
public static class EgressServiceCollectionExtensions
{
    /// <summary>Adds <see cref="EgressProxy"/> and what it needs. Idempotent.</summary>
    public static IServiceCollection AddEgressProxy(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(EgressProxy))) return services;
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.SectionName)
            .PostConfigure<IConfiguration>(NetworkOptions.ReadMode)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>());
        services.AddOptions<ModelApiOptions>().BindConfiguration(ModelApiOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelApiOptions>, ModelApiOptionsValidator>());
        // Time-outs are the relay's own (long non-streaming answers take minutes); no retries: the agent retries itself.
        services.AddHttpClient(ModelApiOptions.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<EgressProxy>();
        return services;
    }
}
