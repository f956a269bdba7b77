using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Runs;

namespace SandboxAgents.Silo.Hosting;

/// <summary>When the silo and the gateway share a process, the webhook secret the gateway generated is masked by the runs' redaction too.</summary>
public static class GeneratedSecretExtensions
{
    public static IHostApplicationBuilder RedactGeneratedWebhookSecret(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(provider => new KnownSecret(() => provider.GetService<WebhookSecretStore>()?.Secret));
        return builder;
    }
}
