namespace SandboxAgents.Runs;

/// <summary>
/// A secret the service holds that is not a configuration value (a webhook secret generated on first start): the
/// composition root registers one of these so that <see cref="SecretRedactor"/> masks it too. Read when first needed.
/// </summary>
public sealed class KnownSecret(Func<string?> value)
{
    public string? Value => value();
}
