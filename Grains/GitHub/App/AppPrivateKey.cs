using System.Security.Cryptography;

namespace SandboxAgents.GitHub.App;

/// <summary>
/// The App's RSA private key, from <c>GitHub:PrivateKey</c> (PEM text) or the file <c>GitHub:PrivateKeyPath</c> names.
/// A key that cannot be read throws <see cref="InvalidOperationException"/> naming the setting, never its content.
/// </summary>
public static class AppPrivateKey
{
    public static RSA Load(GitHubOptions options)
    {
        var (setting, pem) = Read(options);
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            // A public key imports too; only a private one can sign.
            key.ExportParameters(includePrivateParameters: true);
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{setting} is not a PEM RSA private key (GitHub's download, PKCS#1 or PKCS#8, unencrypted).");
        }
    }

    /// <summary>The PEM text, for redaction; null when none is configured or it cannot be read.</summary>
    public static string? TryReadPem(GitHubOptions options)
    {
        try
        {
            return Read(options).Pem;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static (string Setting, string Pem) Read(GitHubOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PrivateKey)) return ("GitHub:PrivateKey", options.PrivateKey);
        if (string.IsNullOrWhiteSpace(options.PrivateKeyPath))
            throw new InvalidOperationException("GitHub:PrivateKeyPath or GitHub:PrivateKey must hold the App's private key.");
        try
        {
            return ("GitHub:PrivateKeyPath", File.ReadAllText(options.PrivateKeyPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"GitHub:PrivateKeyPath ({options.PrivateKeyPath}) cannot be read: {ex.Message}");
        }
    }
}
