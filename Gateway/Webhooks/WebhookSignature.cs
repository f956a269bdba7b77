using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body, keyed with the secret.</summary>
public static class WebhookSignature
{
    /// <summary>Bytes in an HMAC-SHA256 digest.</summary>
    public const int DigestLength = 32;

    private const string Prefix = "sha256=";

    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// Reads the digest out of a header of the form GitHub sends (<c>sha256=</c> and 64 hex digits, either case), without
    /// looking at any body: a request whose header fails this is refused before it is read.
    /// </summary>
    public static bool TryParse(string? header, Span<byte> digest)
    {
        if (digest.Length != DigestLength || header is null || header.Length != Prefix.Length + 2 * DigestLength) return false;
        if (!header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        return Convert.FromHexString(header.AsSpan(Prefix.Length), digest, out _, out var written) == OperationStatus.Done && written == DigestLength;
    }

    /// <summary>True when <paramref name="digest"/> is the body's HMAC under a non-empty secret; compared in constant time.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> body, ReadOnlySpan<byte> digest) =>
        !string.IsNullOrEmpty(secret) && new WebhookSignatureVerifier(secret).Verify(body, digest);

    /// <summary>True only for a well-formed header that matches; compared in constant time.</summary>
    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header) =>
        !string.IsNullOrEmpty(secret) && new WebhookSignatureVerifier(secret).Verify(body, header);
}
