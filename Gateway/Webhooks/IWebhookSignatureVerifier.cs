namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Checks a delivery's <c>X-Hub-Signature-256</c> digest against its raw body. The <see cref="WebhookGate"/> asks once
/// per delivery, over the bytes it has read, and nothing asks again: a port so that tests can count the checks.
/// </summary>
public interface IWebhookSignatureVerifier
{
    /// <summary>True when <paramref name="digest"/> is the body's HMAC-SHA256 under the secret.</summary>
    bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> digest);
}
