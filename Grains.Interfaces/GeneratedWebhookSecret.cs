namespace SandboxAgents;

/// <summary>
/// Where the webhook secret lives that the gateway generates when <c>GitHub:WebhookSecret</c> is empty:
/// <c>{Storage:Path}/webhook-secret</c>. The gateway writes it; every role on that data folder reads it, so that the
/// runs' redaction masks it as it masks the configured secrets.
/// </summary>
public static class GeneratedWebhookSecret
{
    public const string FileName = "webhook-secret";

    public static string FilePath(StorageOptions storage) => Path.Combine(storage.DataFolder, FileName);

    /// <summary>The stored secret, or null when there is none, or when this process may not read it.</summary>
    public static string? TryRead(StorageOptions storage)
    {
        try
        {
            var secret = File.ReadAllText(FilePath(storage)).Trim();
            return secret.Length > 0 ? secret : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
