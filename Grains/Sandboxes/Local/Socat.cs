namespace SandboxAgents.Sandboxes.Local;

/// <summary>Debian's socat, which presents the egress proxy's socket on <c>127.0.0.1:3128</c> inside a sandbox.</summary>
internal static class Socat
{
    private static readonly string[] Candidates = ["/usr/bin/socat", "/usr/local/bin/socat"];

    /// <summary>Its path when a sandbox can run it (under <c>/usr</c>, which sandboxes see), else null.</summary>
    public static string? Find() => Candidates.FirstOrDefault(File.Exists);
}
