using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// The GitHub App the fake GitHub knows: its id, slug, key pair (the private key is what the service is given; the
/// fake verifies JWTs with the public one), its bot user, and its installations with their repositories.
/// </summary>
public sealed class FakeGitHubApp : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public const string Id = "424242";
    public const string Slug = "sandbox-agents-test";
    public const long BotUserId = 190_000_001;
    public const long InstallationId = 777;

    public const string Login = Slug + "[bot]";

    /// <summary>The private key as GitHub hands it out (PKCS#1 PEM).</summary>
    public string PrivateKeyPem => _key.ExportRSAPrivateKeyPem();

    /// <summary>Installations by id, each with the repositories (<c>owner/repo</c>) granted to it.</summary>
    public ConcurrentDictionary<long, HashSet<string>> Installations { get; } = new();

    /// <summary>What the App may do on its installations; tokens may ask for no more.</summary>
    public Dictionary<string, string> Granted { get; } = new()
    {
        ["contents"] = "write", ["issues"] = "write", ["pull_requests"] = "write", ["metadata"] = "read", ["checks"] = "read",
    };

    /// <summary>How long an installation token lives (an hour on GitHub).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public bool Verify(byte[] data, byte[] signature) => _key.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public long? InstallationOf(string repository) =>
        Installations.FirstOrDefault(i => i.Value.Contains(repository, StringComparer.OrdinalIgnoreCase)) is { Value: not null } found ? found.Key : null;

    public void Dispose() => _key.Dispose();
}

/// <summary>An installation token the fake issued: what it reaches, until when, and whether it was revoked.</summary>
public sealed record IssuedToken(string Token, long InstallationId, IReadOnlyList<string> Repositories, IReadOnlyDictionary<string, string> Permissions, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A JWT the fake accepted, with its claims.</summary>
public sealed record VerifiedJwt(long IssuedAt, long ExpiresAt, string Issuer, DateTimeOffset ReceivedAt);
