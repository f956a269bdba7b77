using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The secret webhooks are checked against: the configured one, or else one generated once and kept in
/// <see cref="GeneratedWebhookSecret"/>'s file (readable by the owner only), where the runs' redaction finds it too. The
/// secret itself is never logged: the log names the file to copy it from.
/// </summary>
public sealed partial class WebhookSecretStore
{
    public WebhookSecretStore(IOptions<WebhookOptions> options, IOptions<StorageOptions> storage, ILogger<WebhookSecretStore> logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.WebhookSecret))
        {
            Secret = options.Value.WebhookSecret;
            return;
        }

        var file = GeneratedWebhookSecret.FilePath(storage.Value);
        if (File.Exists(file))
        {
            Secret = File.ReadAllText(file).Trim();
            LogUsingStored(logger, file);
            return;
        }

        Directory.CreateDirectory(storage.Value.DataFolder);
        Secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(file, Secret);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        LogGenerated(logger, file);
    }

    public string Secret { get; }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No GitHub:WebhookSecret configured: generated one in {File}. Copy it into the repository's webhook settings.")]
    private static partial void LogGenerated(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "No GitHub:WebhookSecret configured: using the generated secret in {File}")]
    private static partial void LogUsingStored(ILogger logger, string file);
}
