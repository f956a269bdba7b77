using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// GitHub's webhook endpoint: the <see cref="WebhookGate"/> (cap, budget, one read, one signature check) in front of
/// the <see cref="WebhookDispatcher"/> (triage, then <see cref="IssueCommandProcessor"/> for what may be a command).
/// </summary>
public static class WebhookIntakeExtensions
{
    public static IServiceCollection AddWebhookIntake(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(WebhookGate))) return services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateOnStart()
            .Validate(o => o.MaxPayloadBytes is > 0 and < 1L << 30, "GitHub:MaxPayloadBytes must be between 1 byte and 1 GiB.")
            .Validate(o => o.WebhookBufferBudgetBytes > 0, "GitHub:WebhookBufferBudgetBytes must be positive.")
            .Validate(o => o.WebhookReadTimeout > TimeSpan.Zero, "GitHub:WebhookReadTimeout must be positive.");
        services.AddOptions<GitHubAppOptions>().BindConfiguration(GitHubAppOptions.SectionName);
        services.AddStorageOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookSecretStore>();
        services.TryAddSingleton<IWebhookSignatureVerifier>(provider => new WebhookSignatureVerifier(provider.GetRequiredService<WebhookSecretStore>().Secret));
        services.AddSingleton(provider => new WebhookBufferBudget(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.WebhookBufferBudgetBytes));
        services.AddSingleton<WebhookGate>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookEventProcessor, IssueCommandProcessor>();
        return services;
    }

    /// <summary>Maps the endpoint at <paramref name="path"/>. Resolving the gate now makes a missing or unreadable secret fail at start.</summary>
    public static IEndpointConventionBuilder MapWebhookIntake(this IEndpointRouteBuilder endpoints, string path)
    {
        var gate = endpoints.ServiceProvider.GetRequiredService<WebhookGate>();
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<WebhookDispatcher>();
        return endpoints.MapPost(path, context => gate.InvokeAsync(context, dispatcher.DispatchAsync));
    }
}
