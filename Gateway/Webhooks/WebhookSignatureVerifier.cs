using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The HMAC check with the secret's key bytes encoded once, not per delivery; the digests are compared in constant
/// time. Needs no host: a benchmark builds one from a secret.
/// </summary>
public sealed class WebhookSignatureVerifier : IWebhookSignatureVerifier
{
    private readonly byte[] _key;

    public WebhookSignatureVerifier(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _key = Encoding.UTF8.GetBytes(secret);
    }

    public bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> digest)
    {
        if (digest.Length != WebhookSignature.DigestLength) return false;
        Span<byte> expected = stackalloc byte[WebhookSignature.DigestLength];
        HMACSHA256.HashData(_key, body, expected);
        return CryptographicOperations.FixedTimeEquals(digest, expected);
    }

    /// <summary>True only for a well-formed header (<see cref="WebhookSignature.TryParse"/>) that matches the body.</summary>
    public bool Verify(ReadOnlySpan<byte> body, string? header)
    {
        Span<byte> given = stackalloc byte[WebhookSignature.DigestLength];
        return WebhookSignature.TryParse(header, given) && Verify(body, given);
    }
}
