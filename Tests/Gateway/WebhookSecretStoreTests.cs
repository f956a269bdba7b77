using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Gateway;

public sealed class WebhookSecretStoreTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("secret-store-");

    private WebhookSecretStore Store(string? configured, LogCollector? logs = null)
    {
        using var factory = LoggerFactory.Create(b => { if (logs is not null) b.AddProvider(logs); });
        var logger = factory.CreateLogger<WebhookSecretStore>();
        return new WebhookSecretStore(Options.Create(new WebhookOptions { WebhookSecret = configured }), Options.Create(new StorageOptions { Path = _data.FullName }), logger);
    }

    [Fact]
    public void Configured_SecretIsUsed_NothingWritten()
    {
        Assert.Equal("configured", Store("configured").Secret);
        Assert.False(File.Exists(Path.Combine(_data.FullName, GeneratedWebhookSecret.FileName)));
    }

    [Fact]
    public void NoneConfigured_GeneratesOnce_OwnerOnly_NeverLogged()
    {
        var logs = new LogCollector();

        var first = Store(null, logs).Secret;
        var second = Store(null).Secret;

        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
        var file = Path.Combine(_data.FullName, GeneratedWebhookSecret.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Contains(logs.Lines, l => l.Contains(file, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(first, StringComparison.Ordinal));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
