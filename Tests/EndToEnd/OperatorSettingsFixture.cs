using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The whole service with nothing but its defaults and the <c>Api</c> settings a subclass names: for what the HTTP face
/// lets through under each setting. No GitHub, no run: only the doors.
/// </summary>
public abstract class OperatorSettingsFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-settings-");
    private WebApplicationFactory<Program> _factory = null!;

    /// <summary>The <c>Api:*</c> settings (a null value leaves the key unset).</summary>
    protected abstract IReadOnlyDictionary<string, string?> Api { get; }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>(Api)
        {
            ["GitHub:WebhookSecret"] = "settings-webhook-secret",
            ["GitHub:Token"] = FakeGitHubServer.Token,
            ["Storage:Provider"] = "memory",
            ["Storage:Path"] = Path.Combine(_root.FullName, "data"),
            ["Sandbox:Local:Root"] = Path.Combine(_root.FullName, "sandboxes"),
            ["Orleans:SiloPort"] = FreePort(),
            ["Orleans:GatewayPort"] = FreePort(),
            ["Orleans:ClusterId"] = "settings-" + Guid.NewGuid().ToString("N")[..8],
        };
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings) web.UseSetting(key, value);
        });
        using var http = Anonymous();
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>A client that sends no key and keeps no cookies unless told to.</summary>
    public HttpClient Anonymous(bool cookies = false) =>
        _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = cookies });

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>No <c>Api:Key</c>, no <c>Api:PublicReads</c>: the service's defaults.</summary>
public sealed class NoOperatorKeyFixture : OperatorSettingsFixture
{
    protected override IReadOnlyDictionary<string, string?> Api { get; } = new Dictionary<string, string?>();
}

/// <summary><c>Api:PublicReads=true</c> with a key: a public read-only dashboard.</summary>
public sealed class PublicReadsFixture : OperatorSettingsFixture
{
    public const string Key = "public-reads-operator-key";

    protected override IReadOnlyDictionary<string, string?> Api { get; } = new Dictionary<string, string?>
    {
        ["Api:Key"] = Key,
        ["Api:PublicReads"] = "true",
    };
}
