using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>The service refuses to start without a whole way to act on GitHub, and says which key is wrong.</summary>
public sealed class CredentialsStartupTests : IDisposable
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-credentials-");

    private WebApplicationFactory<Program> Service(IReadOnlyDictionary<string, string> gitHub) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("GitHub:WebhookSecret", "startup-webhook-secret");
            web.UseSetting("Storage:Provider", "memory");
            web.UseSetting("Storage:Path", Path.Combine(_root.FullName, "data"));
            web.UseSetting("Sandbox:Local:Root", Path.Combine(_root.FullName, "sandboxes"));
            web.UseSetting("Orleans:SiloPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:GatewayPort", ServiceFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("Orleans:ClusterId", "startup-" + Guid.NewGuid().ToString("N")[..8]);
            foreach (var (key, value) in gitHub) web.UseSetting(key, value);
        });

    private string StartFailure(IReadOnlyDictionary<string, string> gitHub)
    {
        using var factory = Service(gitHub);
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        return string.Join(" | ", Chain(failure).Select(e => e.Message));
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException) yield return e;
    }

    [Fact]
    public void Start_WithoutAnyCredentials_FailsNamingTheKeys()
    {
        var message = StartFailure(new Dictionary<string, string>());

        Assert.Contains("No GitHub credentials: set GitHub:Token", message);
        Assert.Contains("GitHub:AppId", message);
    }

    [Fact]
    public void Start_AppIdWithoutKey_FailsNamingTheMissingKey() =>
        Assert.Contains("GitHub:PrivateKeyPath or GitHub:PrivateKey is missing", StartFailure(new Dictionary<string, string> { ["GitHub:AppId"] = FakeGitHubApp.Id }));

    [Fact]
    public void Start_MalformedKeyFile_FailsNamingTheSetting()
    {
        var key = Path.Combine(_root.FullName, "broken.pem");
        File.WriteAllText(key, "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");

        var message = StartFailure(new Dictionary<string, string> { ["GitHub:AppId"] = FakeGitHubApp.Id, ["GitHub:PrivateKeyPath"] = key });

        Assert.Contains("GitHub:PrivateKeyPath is not a PEM RSA private key", message);
        Assert.DoesNotContain("bm90IGEga2V5", message);
    }

    [Fact]
    public async Task Start_AppKeyFromAFile_IsMaskedByTheRunsRedaction()
    {
        using var app = new FakeGitHubApp();
        var key = Path.Combine(_root.FullName, "app.pem");
        await File.WriteAllTextAsync(key, app.PrivateKeyPem);
        using var factory = Service(new Dictionary<string, string> { ["GitHub:AppId"] = FakeGitHubApp.Id, ["GitHub:PrivateKeyPath"] = key, ["GitHub:ApiUrl"] = "http://127.0.0.1:9/" });
        using var http = factory.CreateClient();
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();

        var redacted = factory.Services.GetRequiredService<SecretRedactor>().Redact($"leaked {app.PrivateKeyPem} here");

        Assert.Equal("leaked [redacted] here", redacted);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
