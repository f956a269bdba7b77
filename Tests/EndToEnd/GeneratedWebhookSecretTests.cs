using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The webhook secret the service generates on first start is a secret like any configured one: runs' redaction
/// masks it, in one process and in a silo that shares the gateway's data folder.
/// </summary>
public sealed class GeneratedWebhookSecretTests : IDisposable
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-generated-secret-");

    private string DataPath => Path.Combine(_root.FullName, "data");

    private async Task<WebApplicationFactory<Program>> StartAsync(string role)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Service:Role", role);
            web.UseSetting("Storage:Provider", "memory");
            web.UseSetting("GitHub:Token", FakeGitHubServer.Token);
            web.UseSetting("Storage:Path", DataPath);
            web.UseSetting("Sandbox:Local:Root", Path.Combine(_root.FullName, "sandboxes"));
            web.UseSetting("Orleans:SiloPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:ClusterId", "generated-" + Guid.NewGuid().ToString("N")[..8]);
        });
        using var http = factory.CreateClient();
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
        return factory;
    }

    private static string Redact(WebApplicationFactory<Program> service, string text) =>
        service.Services.GetRequiredService<SecretRedactor>().Redact(text);

    [Fact]
    public async Task GeneratedSecret_SiloAndGatewayInOneProcess_IsMaskedByTheRunsRedaction()
    {
        await using var service = await StartAsync("all");
        var secret = service.Services.GetRequiredService<WebhookSecretStore>().Secret;

        var redacted = Redact(service, $"the agent printed {secret} here");

        Assert.Equal(secret, (await File.ReadAllTextAsync(Path.Combine(DataPath, GeneratedWebhookSecret.FileName))).Trim());
        Assert.Equal("the agent printed [redacted] here", redacted);
    }

    [Fact]
    public async Task GeneratedSecret_OfAGatewayOnTheSameDataFolder_IsMaskedByTheSilosRedaction()
    {
        // The gateway process, started first on the shared data folder, generates the secret as it always does.
        var gateway = new WebhookSecretStore(
            Options.Create(new WebhookOptions()), Options.Create(new StorageOptions { Path = DataPath }), NullLogger<WebhookSecretStore>.Instance);
        await using var silo = await StartAsync("silo");

        var redacted = Redact(silo, $"the agent printed {gateway.Secret} here");

        Assert.Equal("the agent printed [redacted] here", redacted);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
