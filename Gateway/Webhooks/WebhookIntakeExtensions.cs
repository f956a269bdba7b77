using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using Octokit.Webhooks.AspNetCore;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>GitHub's webhook endpoint: Octokit.Webhooks' endpoint behind the <see cref="WebhookGate"/>, routing to <see cref="IssueCommandProcessor"/>.</summary>
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
        services.AddSingleton(provider => new WebhookBufferBudget(provider.GetRequiredService<IOptions<WebhookOptions>>().Value.WebhookBufferBudgetBytes));
        services.AddSingleton<WebhookGate>();
        services.AddSingleton<WebhookEventProcessor, IssueCommandProcessor>();
        services.Configure<GitHubWebhookOptions>(o => o.ExceptionHandler = RejectMalformedPayloadAsync);
        return services;
    }

    /// <summary>Maps the endpoint at <paramref name="path"/>. Resolving the secret now makes a missing or unreadable one fail at start.</summary>
    public static IEndpointConventionBuilder MapWebhookIntake(this IEndpointRouteBuilder endpoints, string path)
    {
        var secret = endpoints.ServiceProvider.GetRequiredService<WebhookSecretStore>().Secret;
        var gate = endpoints.ServiceProvider.GetRequiredService<WebhookGate>();
        var endpoint = endpoints.MapGitHubWebhooks(path, secret);
        endpoint.Add(builder =>
        {
            var inner = builder.RequestDelegate ?? throw new InvalidOperationException("The webhook endpoint has no request delegate.");
            builder.RequestDelegate = context => gate.InvokeAsync(context, inner);
        });
        return endpoint;
    }

    private static async ValueTask<bool> RejectMalformedPayloadAsync(Exception exception, HttpContext context)
    {
        if (exception is not (JsonException or NotSupportedException or ArgumentException or FormatException)) return false;
        await Results.Problem("The payload is not a GitHub webhook event this service can read.", statusCode: StatusCodes.Status400BadRequest)
            .ExecuteAsync(context);
        return true;
    }
}
