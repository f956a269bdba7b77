using Microsoft.Extensions.Options;
using SandboxAgents.GitHub.App;

namespace SandboxAgents.GitHub;

/// <summary>
/// The service needs exactly one way to act on GitHub: a token (<c>GitHub:Token</c>) or an App (<c>GitHub:AppId</c>
/// with <c>GitHub:PrivateKeyPath</c> or <c>GitHub:PrivateKey</c>). Anything else stops the start and names the key.
/// </summary>
public sealed class GitHubCredentialsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var token = !string.IsNullOrWhiteSpace(options.Token);
        var appId = !string.IsNullOrWhiteSpace(options.AppId);
        var keyPath = !string.IsNullOrWhiteSpace(options.PrivateKeyPath);
        var keyText = !string.IsNullOrWhiteSpace(options.PrivateKey);

        if (!token && !appId && !keyPath && !keyText)
            return ValidateOptionsResult.Fail(
                "No GitHub credentials: set GitHub:Token (a fine-grained personal access token) or a GitHub App (GitHub:AppId with GitHub:PrivateKeyPath or GitHub:PrivateKey).");
        if (token && (appId || keyPath || keyText))
            return ValidateOptionsResult.Fail("Set either GitHub:Token or the GitHub App (GitHub:AppId, GitHub:PrivateKeyPath/GitHub:PrivateKey), not both.");
        if (token) return ValidateOptionsResult.Success;
        if (!appId) return ValidateOptionsResult.Fail("GitHub:AppId is missing: a GitHub App's private key is set without the App's id (or client id).");
        if (!keyPath && !keyText) return ValidateOptionsResult.Fail("GitHub:PrivateKeyPath or GitHub:PrivateKey is missing: GitHub:AppId is set without the App's private key.");
        if (keyPath && keyText) return ValidateOptionsResult.Fail("Set GitHub:PrivateKeyPath or GitHub:PrivateKey, not both.");
        if (options.DeliveryRecoveryPeriod <= TimeSpan.Zero) return ValidateOptionsResult.Fail("GitHub:DeliveryRecoveryPeriod must be positive.");

        try
        {
            AppPrivateKey.Load(options).Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
