using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SandboxAgents;

/// <summary>
/// The sections that both the grains and the gateway read, bound and validated here once so that every role
/// (<c>all</c>, <c>silo</c>, <c>gateway</c>) reads them alike and refuses the same bad values at start. Idempotent.
/// </summary>
public static class SharedOptionsExtensions
{
    public static IServiceCollection AddTriggerOptions(this IServiceCollection services)
    {
        if (services.Any(s => s.ImplementationType == typeof(TriggerOptionsValidator))) return services;

        services.AddOptions<TriggerOptions>().BindConfiguration(TriggerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TriggerOptions>, TriggerOptionsValidator>();
        return services;
    }

    public static IServiceCollection AddStorageOptions(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(IConfigureOptions<StorageOptions>))) return services;

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName);
        return services;
    }
}
