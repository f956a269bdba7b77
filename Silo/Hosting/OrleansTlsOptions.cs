namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// Section <c>Orleans:Tls</c>: mutual TLS between silos and from gateway-role clients. Every member shows its own
/// certificate and accepts only peers signed by <see cref="CaPath"/> or named in <see cref="AllowedThumbprints"/>.
/// </summary>
public sealed class OrleansTlsOptions
{
    public const string SectionName = "Orleans:Tls";

    /// <summary>This member's certificate with its private key: a PKCS#12 file (<c>.pfx</c>), or PEM (key inside or in <see cref="KeyPath"/>).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when it is not in the certificate's file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password, or the encrypted PEM key's.</summary>
    public string? Password { get; set; }

    /// <summary>The certificate authority (PEM, one or more certificates, or DER) that signs the cluster's certificates.</summary>
    public string? CaPath { get; set; }

    /// <summary>Peer certificates accepted by fingerprint (SHA-256, or SHA-1 as .NET's Thumbprint; hex, colons allowed).</summary>
    public List<string> AllowedThumbprints { get; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
