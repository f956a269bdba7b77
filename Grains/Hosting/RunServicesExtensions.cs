using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using SandboxAgents.Git;
using SandboxAgents.GitHub;
using SandboxAgents.Reaper;
using SandboxAgents.Registry;
using SandboxAgents.Runs;
using SandboxAgents.Runs.Iterations;
using SandboxAgents.Runs.RepositoryConfig;
using SandboxAgents.Runs.Transcripts;

namespace SandboxAgents.Hosting;

/// <summary>
/// Registers what the grains need: options, the GitHub adapter, the sandbox provider, the pieces that drive a run,
/// and the orphan reaper's start. Idempotent.
/// </summary>
public static class RunServicesExtensions
{
    public static IServiceCollection AddSandboxRuns(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(RunDriver))) return services;

        services.AddGitHubCredentials();
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName)
            .Validate(a => a.Timeout > TimeSpan.Zero, "Agent:Timeout must be positive.")
            .Validate(a => !string.IsNullOrWhiteSpace(a.Command), "Agent:Command must not be empty.")
            .ValidateOnStart();
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.SectionName)
            .Validate(r => r.PollInterval > TimeSpan.Zero && r.WatchdogPeriod > TimeSpan.Zero, "Runs:PollInterval and Runs:WatchdogPeriod must be positive.")
            .Validate(r => r.FallbackPollInterval > TimeSpan.Zero, "Runs:FallbackPollInterval must be positive.")
            .ValidateOnStart();
        services.AddTriggerOptions();
        services.AddStorageOptions();
        services.AddOptions<GitHubAppOptions>().BindConfiguration(GitHubAppOptions.SectionName);
        services.AddOptions<DashboardLinkOptions>().BindConfiguration(DashboardLinkOptions.SectionName);
        services.AddOptions<RegistryOptions>().BindConfiguration(RegistryOptions.SectionName);
        services.AddOptions<ReaperOptions>().BindConfiguration(ReaperOptions.SectionName)
            .Validate(r => r.Period > TimeSpan.Zero, "Reaper:Period must be positive.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(RunClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        services.TryAddSingleton<IGitHubIssues, OctokitGitHubIssues>();
        services.TryAddSingleton<IGitHubPullRequests, OctokitGitHubPullRequests>();
        services.TryAddSingleton<IGitHubUsers, OctokitGitHubUsers>();
        services.AddSandboxProviders();
        services.AddRepositoryMirror();

        services.AddSingleton<PermissionChecker>();
        services.AddSingleton<CommandAuthorization>();
        services.AddSingleton<SecretRedactor>();
        // With no GitHub:WebhookSecret the gateway generates one into the data folder: masked like a configured one.
        services.AddSingleton(provider => new KnownSecret(() => GeneratedWebhookSecret.TryRead(provider.GetRequiredService<IOptions<StorageOptions>>().Value)));
        services.AddSingleton<ModelRelayTokens>();
        services.AddSingleton<ModelAccess>();
        services.AddSingleton<IValidateOptions<AgentOptions>, ModelAccessValidator>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentLimitsValidator>();
        services.AddSingleton<IssueDiscussion>();
        services.AddSingleton<RunnerLauncher>();
        services.AddSingleton<CommitAttributor>();
        services.AddSingleton<RunSettingsResolver>();
        services.AddSingleton<RunBasePreparation>();
        services.AddRunEffects();
        services.TryAddSingleton<ITranscriptStore, FileTranscriptStore>();
        services.AddSingleton<TranscriptKeeper>();
        services.AddSingleton<IterationFeedbackReader>();
        services.AddSingleton<PullRequestIterations>();
        services.AddSingleton<SteeringMessages>();
        services.AddSingleton<RunDriver>();

        services.AddHostedService<SandboxProviderCheck>();
        services.AddHostedService<AgentExecutableCheck>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReaperStartup>();
        return services;
    }

    /// <summary>The service's own git: one bare mirror per repository under <c>{Storage:Path}/mirrors</c> unless <c>Git:MirrorPath</c> says otherwise.</summary>
    private static IServiceCollection AddRepositoryMirror(this IServiceCollection services)
    {
        services.AddOptions<GitOptions>().BindConfiguration(GitOptions.SectionName)
            .PostConfigure<IOptions<StorageOptions>>((git, storage) =>
                git.MirrorPath = Path.GetFullPath(string.IsNullOrWhiteSpace(git.MirrorPath) ? Path.Combine(storage.Value.DataFolder, "mirrors") : git.MirrorPath))
            .Validate(g => g.MaxChangesBytes > 0, "Git:MaxChangesBytes must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<GitRemotes>();
        services.TryAddSingleton<IRepositoryMirror, RepositoryMirror>();
        return services;
    }

    /// <summary>A run's follow-up work, in the order it is applied: the registry, the comment, the sandbox, the queue slot.</summary>
    private static void AddRunEffects(this IServiceCollection services)
    {
        services.AddSingleton<QueueSlotEffect>();
        services.AddSingleton<IRunEffect, RegistryEffect>();
        services.AddSingleton<IRunEffect>(provider => ActivatorUtilities.CreateInstance<StatusCommentEffect>(provider, StatusCommentTarget.Issue));
        services.AddSingleton<IRunEffect>(provider => ActivatorUtilities.CreateInstance<StatusCommentEffect>(provider, StatusCommentTarget.PullRequest));
        services.AddSingleton<IRunEffect, SandboxCleanupEffect>();
        services.AddSingleton<IRunEffect>(provider => provider.GetRequiredService<QueueSlotEffect>());
        services.AddSingleton<RunEffects>();
    }
}
