using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SandboxAgents.GitHub;
using SandboxAgents.Runs;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;

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
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.SectionName)
            .Validate(s => s.Provider is SandboxOptions.Local, "Sandbox:Provider must be 'local' (the Daytona provider is not built yet).")
            .ValidateOnStart();
        services.AddOptions<LocalSandboxOptions>().BindConfiguration(LocalSandboxOptions.SectionName)
            .PostConfigure<IOptions<GitHubOptions>>((local, gitHub) => BindGitMirror(local, gitHub.Value));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(RunClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<IGitHubIssues, OctokitGitHubIssues>();
        services.TryAddSingleton<ISandboxProvider, LocalSandboxProvider>();
        services.AddSingleton<PermissionChecker>();
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<RunnerLauncher>();
        services.AddSingleton<StatusCommentPublisher>();
        services.AddSingleton<RunDriver>();
        services.AddHostedService<SandboxProviderCheck>();
        return services;
    }

    /// <summary>A <c>file://</c> git location (a local mirror, or tests) must be reachable from inside isolated sandboxes.</summary>
    private static void BindGitMirror(LocalSandboxOptions local, GitHubOptions gitHub)
    {
        if (!Uri.TryCreate(gitHub.GitUrl, UriKind.Absolute, out var url) || !url.IsFile) return;
        var path = Path.GetFullPath(url.LocalPath);
        if (!local.ReadWritePaths.Contains(path)) local.ReadWritePaths.Add(path);
    }
}
