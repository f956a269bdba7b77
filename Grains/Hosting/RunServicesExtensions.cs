using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;
using SandboxAgents.GitHub;
using SandboxAgents.Reaper;
using SandboxAgents.Registry;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Hosting;

/// <summary>Registers what <see cref="SandboxGrain"/> needs: options, the GitHub adapter and the sandbox provider.</summary>
public static class RunServicesExtensions
{
    public static IServiceCollection AddSandboxRuns(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(RunDriver))) return services;

        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.SectionName);
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName)
            .Validate(a => a.Timeout > TimeSpan.Zero, "Agent:Timeout must be positive.")
            .Validate(a => !string.IsNullOrWhiteSpace(a.Command), "Agent:Command must not be empty.")
            .ValidateOnStart();
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.SectionName)
            .Validate(r => r.PollInterval > TimeSpan.Zero && r.WatchdogPeriod > TimeSpan.Zero, "Runs:PollInterval and Runs:WatchdogPeriod must be positive.")
            .ValidateOnStart();
        services.AddOptions<TriggerOptions>().BindConfiguration(TriggerOptions.SectionName);
        services.AddOptions<DashboardLinkOptions>().BindConfiguration(DashboardLinkOptions.SectionName);
        services.AddSandboxProviders();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(RunClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<IGitHubIssues, OctokitGitHubIssues>();
        services.AddSingleton<PermissionChecker>();
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<RunnerLauncher>();
        services.AddSingleton<StatusCommentPublisher>();
        services.AddSingleton<RunDriver>();
        services.AddSingleton<RegistryPublisher>();
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName);
        services.AddHostedService<SandboxProviderCheck>();
        services.AddOptions<ReaperOptions>().BindConfiguration(ReaperOptions.SectionName)
            .Validate(r => r.Period > TimeSpan.Zero, "Reaper:Period must be positive.");
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReaperStartup>();
        return services;
    }
}
