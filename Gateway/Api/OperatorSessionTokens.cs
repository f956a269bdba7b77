using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// The browser session's cookie value: <c>v1.{expiry}.{nonce}.{mac}</c>, an HMAC over the expiry and a nonce with a key
/// derived from <c>Api:Key</c>. It never holds the key; every gateway with the same key accepts it, and changing the
/// key (or shortening <c>Api:SessionLifetime</c> below what is left) ends every session.
/// </summary>
public sealed class OperatorSessionTokens
{
    public const string CookieName = "sandbox-agents-session";
    private const string Version = "v1";
    private static readonly byte[] Purpose = "sandbox-agents operator session v1"u8.ToArray();

    private readonly byte[]? _macKey;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public OperatorSessionTokens(IOptions<ApiOptions> options, TimeProvider clock)
    {
        var api = options.Value;
        _macKey = api.HasKey ? HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(api.Key!), 32, info: Purpose) : null;
        _lifetime = api.SessionLifetime;
        _clock = clock;
    }

    /// <summary>A new session token and when it expires; null when no operator key is configured.</summary>
    public (string Token, DateTimeOffset Expires)? Issue()
    {
        if (_macKey is null) return null;
        var expires = _clock.GetUtcNow() + _lifetime;
        var payload = $"{Version}.{expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))}";
        return ($"{payload}.{Base64Url.EncodeToString(Mac(_macKey, payload))}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>True for a token this key issued that has not expired.</summary>
    public bool IsValid(string? token)
    {
        if (_macKey is null || string.IsNullOrEmpty(token) || token.Length > 200) return false;
        var lastDot = token.LastIndexOf('.');
        if (lastDot < 0) return false;
        var payload = token[..lastDot];
        if (payload.Split('.') is not [Version, var expiry, _] || !long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (seconds <= now || seconds > now + (long)_lifetime.TotalSeconds + 60) return false;

        Span<byte> given = stackalloc byte[32];
        return Base64Url.TryDecodeFromChars(token.AsSpan(lastDot + 1), given, out var written) && written == given.Length
            && CryptographicOperations.FixedTimeEquals(given, Mac(_macKey, payload));
    }

    private static byte[] Mac(byte[] key, string payload) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload));
}
