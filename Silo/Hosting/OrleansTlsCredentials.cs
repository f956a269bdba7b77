using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// The loaded <c>Orleans:Tls</c> settings: this member's certificate and the peers it trusts. Loading fails at start,
/// with the setting to fix, when a file is missing, unreadable or has no key, or when nothing says whom to trust.
/// </summary>
public sealed class OrleansTlsCredentials
{
    private const string Section = OrleansTlsOptions.SectionName;

    private readonly X509Certificate2Collection _authorities;
    private readonly HashSet<string> _thumbprints;

    private OrleansTlsCredentials(X509Certificate2 certificate, X509Certificate2Collection authorities, HashSet<string> thumbprints) =>
        (Certificate, _authorities, _thumbprints) = (certificate, authorities, thumbprints);

    public X509Certificate2 Certificate { get; }

    /// <summary>Null when TLS is not configured (no <c>Orleans:Tls:CertificatePath</c>).</summary>
    public static OrleansTlsCredentials? Load(IConfiguration configuration) =>
        Load(configuration.GetSection(Section).Get<OrleansTlsOptions>() ?? new OrleansTlsOptions());

    public static OrleansTlsCredentials? Load(OrleansTlsOptions options)
    {
        if (!options.Enabled)
        {
            return string.IsNullOrWhiteSpace(options.CaPath) && string.IsNullOrWhiteSpace(options.KeyPath) && options.AllowedThumbprints.Count == 0
                ? null
                : throw new InvalidOperationException($"{Section} is set up without {Section}:CertificatePath: give each silo and gateway its certificate.");
        }

        var certificate = LoadCertificate(options);
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{Section}:CertificatePath '{options.CertificatePath}' has no private key: give a .pfx with its key, or the PEM key in {Section}:KeyPath.");

        var authorities = string.IsNullOrWhiteSpace(options.CaPath) ? [] : LoadAuthorities(options.CaPath);
        var thumbprints = options.AllowedThumbprints.Select(Normalize).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (thumbprints.FirstOrDefault(t => t.Length is not (40 or 64) || !t.All(char.IsAsciiHexDigit)) is { } bad)
            throw new InvalidOperationException($"{Section}:AllowedThumbprints has '{bad}', which is not a SHA-256 or SHA-1 fingerprint in hex.");
        if (authorities.Count == 0 && thumbprints.Count == 0)
            throw new InvalidOperationException($"{Section} needs {Section}:CaPath (the authority that signs the cluster's certificates) or {Section}:AllowedThumbprints: peers are never accepted unchecked.");

        return new OrleansTlsCredentials(certificate, authorities, thumbprints);
    }

    /// <summary>Both directions require a certificate, and every peer's is checked by <see cref="IsTrusted"/>.</summary>
    public void Configure(TlsOptions options)
    {
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Members are known by their certificate, not by a host name (silos advertise IP addresses): the name is not checked.
        options.RemoteCertificateValidation = (certificate, chain, _) => IsTrusted(certificate, chain);
    }

    /// <summary>True for a peer named in the allowed fingerprints, or whose chain ends at the configured authority.</summary>
    public bool IsTrusted(X509Certificate2 peer, X509Chain? presented)
    {
        if (_thumbprints.Contains(peer.GetCertHashString(HashAlgorithmName.SHA256)) || _thumbprints.Contains(peer.Thumbprint)) return true;
        if (_authorities.Count == 0) return false;

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);  // intermediates the peer sent
        }

        return chain.Build(peer);
    }

    private static X509Certificate2 LoadCertificate(OrleansTlsOptions options)
    {
        var path = options.CertificatePath!;
        var password = string.IsNullOrEmpty(options.Password) ? null : options.Password;
        Require(path, "CertificatePath");
        if (!string.IsNullOrWhiteSpace(options.KeyPath)) Require(options.KeyPath, "KeyPath");
        try
        {
            if (!IsPem(path)) return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            var keyPath = string.IsNullOrWhiteSpace(options.KeyPath) ? null : options.KeyPath;
            return password is null ? X509Certificate2.CreateFromPemFile(path, keyPath) : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            throw new InvalidOperationException(
                $"{Section}:CertificatePath '{path}' could not be read as a PKCS#12 (.pfx) file or a PEM certificate with its key ({ex.Message}). Check the file, {Section}:KeyPath and {Section}:Password.", ex);
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        Require(path, "CaPath");
        try
        {
            var authorities = new X509Certificate2Collection();
            if (IsPem(path)) authorities.ImportFromPemFile(path);
            else authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            return authorities.Count > 0 ? authorities : throw new CryptographicException("no certificate in the file");
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            throw new InvalidOperationException($"{Section}:CaPath '{path}' could not be read as PEM or DER certificates ({ex.Message}).", ex);
        }
    }

    private static void Require(string path, string setting)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"{Section}:{setting} '{path}' does not exist.");
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[4096];
        var read = reader.ReadBlock(start);
        return new string(start, 0, read).Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static string Normalize(string thumbprint) =>
        new string([.. thumbprint.Where(c => c is not (':' or ' ' or '-'))]).ToUpperInvariant();
}
