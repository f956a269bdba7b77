using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The webhook secret the service generates on first start is a secret like any configured one: runs' redaction masks it.</summary>
public sealed class GeneratedWebhookSecretTests : IAsyncLifetime
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-generated-secret-");
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:Provider", "memory");
            web.UseSetting("GitHub:Token", FakeGitHubServer.Token);
            web.UseSetting("Storage:Path", Path.Combine(_root.FullName, "data"));
            web.UseSetting("Sandbox:Local:Root", Path.Combine(_root.FullName, "sandboxes"));
            web.UseSetting("Orleans:SiloPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:ClusterId", "generated-" + Guid.NewGuid().ToString("N")[..8]);
        });
        using var http = _factory.CreateClient();
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _root.Delete(recursive: true);
    }

    [Fact]
    public void GeneratedSecret_IsMaskedByTheRunsRedaction()
    {
        var secret = _factory.Services.GetRequiredService<WebhookSecretStore>().Secret;

        var redacted = _factory.Services.GetRequiredService<SecretRedactor>().Redact($"the agent printed {secret} here");

        Assert.Equal(secret, File.ReadAllText(Path.Combine(_root.FullName, "data", WebhookSecretStore.FileName)).Trim());
        Assert.Equal("the agent printed [redacted] here", redacted);
    }
}
