using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SandboxAgents.Deliveries;
using SandboxAgents.GitHub;
using SandboxAgents.GitHub.App;
using SandboxAgents.Runs;

namespace SandboxAgents.Hosting;

/// <summary>
/// How the service acts on GitHub: the <c>GitHub</c> section validated at start (a token or an App, never neither
/// nor half of one), the one shared Octokit client, and the credentials the options choose. With an App, failed
/// webhook deliveries are recovered from the application's start on. Idempotent.
/// </summary>
public static class GitHubCredentialsExtensions
{
    public static IServiceCollection AddGitHubCredentials(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(GitHubApi))) return services;

        services.AddOptions<GitHubOptions>().BindConfiguration(GitHubOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GitHubOptions>, GitHubCredentialsValidator>();
        services.AddSingleton<GitHubApi>();
        services.AddSingleton<PersonalAccessToken>();
        services.AddSingleton<AppJwt>();
        services.AddSingleton<GitHubAppClient>();
        services.AddSingleton<GitHubAppCredentials>();
        services.TryAddSingleton<IGitHubCredentials>(provider => provider.GetRequiredService<IOptions<GitHubOptions>>().Value.UsesApp
            ? provider.GetRequiredService<GitHubAppCredentials>()
            : provider.GetRequiredService<PersonalAccessToken>());
        // GitHub:PrivateKey is a secret key already; a key read from its file is masked as well.
        services.AddSingleton(provider => new KnownSecret(() => AppPrivateKey.TryReadPem(provider.GetRequiredService<IOptions<GitHubOptions>>().Value)));
        services.AddHostedService<DeliveryRecoveryStartup>();
        return services;
    }
}
