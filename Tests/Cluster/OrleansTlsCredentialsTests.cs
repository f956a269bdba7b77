using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using SandboxAgents.Silo.Hosting;

namespace SandboxAgents.Tests.Cluster;

/// <summary><c>Orleans:Tls</c> settings: what loads, whom it trusts, and the start-up errors that name the setting to fix.</summary>
public sealed class OrleansTlsCredentialsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sandbox-agents-tls-settings-");
    private readonly X509Certificate2 _authority = TestCertificates.Authority("settings CA");

    private string Folder => _folder.FullName;

    public void Dispose() => _folder.Delete(recursive: true);

    private static OrleansTlsCredentials? Load(Dictionary<string, string?> settings) =>
        OrleansTlsCredentials.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private string CaPath => TestCertificates.WritePem(_authority, Folder, "ca").Certificate;

    [Fact]
    public void NotConfigured_IsNoTls() => Assert.Null(Load([]));

    [Fact]
    public void Pfx_WithItsPassword_AndTheCa_TrustsMembersOfThatCaOnly()
    {
        var tls = Load(new()
        {
            ["Orleans:Tls:CertificatePath"] = TestCertificates.WritePfx(TestCertificates.Member(_authority, "silo"), Folder, "silo", "secret"),
            ["Orleans:Tls:Password"] = "secret",
            ["Orleans:Tls:CaPath"] = CaPath,
        })!;

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.IsTrusted(TestCertificates.Member(_authority, "other"), presented: null));
        Assert.False(tls.IsTrusted(TestCertificates.Member(TestCertificates.Authority("settings CA"), "other"), presented: null));
    }

    [Fact]
    public void PemWithASeparateKey_AndThumbprints_TrustsThoseCertificatesOnly()
    {
        var peer = TestCertificates.Member(_authority, "peer");
        var (certificate, key) = TestCertificates.WritePem(TestCertificates.Member(_authority, "gateway"), Folder, "gateway", key: true);
        var tls = Load(new()
        {
            ["Orleans:Tls:CertificatePath"] = certificate,
            ["Orleans:Tls:KeyPath"] = key,
            ["Orleans:Tls:AllowedThumbprints:0"] = string.Join(':', Convert.ToHexString(peer.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c))).ToLowerInvariant(),
        })!;

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.True(tls.IsTrusted(peer, presented: null));
        Assert.False(tls.IsTrusted(TestCertificates.Member(_authority, "another"), presented: null));
    }

    [Fact]
    public void Errors_NameTheSettingToFix()
    {
        var member = TestCertificates.Member(_authority, "silo");
        var pfx = TestCertificates.WritePfx(member, Folder, "silo", "secret");
        var garbage = Path.Combine(Folder, "garbage.pfx");
        File.WriteAllText(garbage, "not a certificate");
        var (pemWithoutKey, _) = TestCertificates.WritePem(member, Folder, "nokey");

        var cases = new (Dictionary<string, string?> Settings, string Expected)[]
        {
            (new() { ["Orleans:Tls:CertificatePath"] = Path.Combine(Folder, "missing.pfx"), ["Orleans:Tls:CaPath"] = CaPath }, "Orleans:Tls:CertificatePath"),
            (new() { ["Orleans:Tls:CertificatePath"] = garbage, ["Orleans:Tls:CaPath"] = CaPath }, "Orleans:Tls:CertificatePath"),
            (new() { ["Orleans:Tls:CertificatePath"] = pfx, ["Orleans:Tls:Password"] = "wrong", ["Orleans:Tls:CaPath"] = CaPath }, "Orleans:Tls:Password"),
            (new() { ["Orleans:Tls:CertificatePath"] = pemWithoutKey, ["Orleans:Tls:CaPath"] = CaPath }, "Orleans:Tls:KeyPath"),
            (new() { ["Orleans:Tls:CertificatePath"] = pfx, ["Orleans:Tls:Password"] = "secret" }, "Orleans:Tls:CaPath"),
            (new() { ["Orleans:Tls:CertificatePath"] = pfx, ["Orleans:Tls:Password"] = "secret", ["Orleans:Tls:CaPath"] = garbage }, "Orleans:Tls:CaPath"),
            (new() { ["Orleans:Tls:CertificatePath"] = pfx, ["Orleans:Tls:Password"] = "secret", ["Orleans:Tls:AllowedThumbprints:0"] = "xyz" }, "Orleans:Tls:AllowedThumbprints"),
            (new() { ["Orleans:Tls:CaPath"] = CaPath }, "Orleans:Tls:CertificatePath"),
        };

        foreach (var (settings, expected) in cases)
        {
            var error = Assert.Throws<InvalidOperationException>(() => Load(settings));
            Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{string.Join(", ", settings)}: {error.Message}");
            Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        }
    }
}
