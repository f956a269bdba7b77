using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;
using SandboxAgents.Gateway.Api;
using SandboxAgents.Gateway.Dashboard;
using SandboxAgents.Gateway.Events;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Gateway.Hosting;

/// <summary>The HTTP face: GitHub webhooks, the operator API and dashboard, health. Needs an <see cref="IGrainFactory"/> (a co-hosted silo or a client).</summary>
public static class GatewayExtensions
{
    public const string WebhookPath = "/api/github/webhooks";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(s => s.ServiceType == typeof(WebhookSecretStore))) return builder;

        services.AddTriggerOptions();
        services.AddOperatorAccess();
        services.AddWebhookIntake();
        services.AddSingleton<RunEventHub>();
        services.AddHostedService<RegistrySubscription>();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapWebhookIntake(WebhookPath);
        app.UseOperatorAccess();
        app.MapRunEvents();
        app.MapTasksApi();
        app.MapDashboard();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        app.MapOpenApi().RequireOperator(OperatorAccess.Read);
        app.MapScalarApiReference("/api/reference", o => o.WithTitle("Sandbox agents API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .RequireOperatorPage(OperatorAccess.Read);
        return app;
    }
}
