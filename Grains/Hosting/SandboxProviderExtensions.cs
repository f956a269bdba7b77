using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Daytona;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Hosting;

/// <summary>
/// The feature flag: <c>Sandbox:Provider</c> (<c>local</c> by default, or <c>daytona</c>), or the environment variable
/// <c>USE_DAYTONA_SANDBOXES=true</c>, picks the adapter behind <see cref="ISandboxProvider"/>.
/// </summary>
public static class SandboxProviderExtensions
{
    public const string DaytonaFlag = "USE_DAYTONA_SANDBOXES";

    public static IServiceCollection AddSandboxProviders(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName)
            .PostConfigure<IConfiguration>((sandbox, configuration) =>
            {
                sandbox.Provider = sandbox.Provider.Trim().ToLowerInvariant();
                if (bool.TryParse(configuration[DaytonaFlag], out var useDaytona) && useDaytona) sandbox.Provider = SandboxOptions.Daytona;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();

        services.AddOptions<LocalSandboxOptions>().BindConfiguration(LocalSandboxOptions.SectionName);
        services.AddEgressProxy();
        services.AddOptions<DaytonaOptions>().BindConfiguration(DaytonaOptions.SectionName);
        services.AddHttpClient(DaytonaHttp.ClientName, (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<DaytonaOptions>>().Value;
                http.BaseAddress = new Uri(options.ApiUrl.ToString().TrimEnd('/') + "/");
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns time-outs
                http.DefaultRequestHeaders.Authorization = new("Bearer", options.ApiKey);
                http.DefaultRequestHeaders.Add("X-Daytona-Source", "sandbox-agents");
                http.DefaultRequestHeaders.Add("X-Daytona-SDK-Version", DaytonaHttp.SdkVersion);
            })
            .AddResilienceHandler("daytona", (pipeline, context) =>
                DaytonaResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<DaytonaOptions>>().Value));

        services.TryAddSingleton<LocalSandboxProvider>();
        services.TryAddSingleton<DaytonaSandboxProvider>();
        services.TryAddSingleton<ISandboxProvider>(provider =>
            provider.GetRequiredService<IOptions<SandboxOptions>>().Value.Provider == SandboxOptions.Daytona
                ? provider.GetRequiredService<DaytonaSandboxProvider>()
                : provider.GetRequiredService<LocalSandboxProvider>());
        return services;
    }
}
