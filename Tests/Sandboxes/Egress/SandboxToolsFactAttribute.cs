namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>A test that runs bubblewrap with socat and curl inside; it says so when they are not installed.</summary>
public sealed class SandboxToolsFactAttribute : FactAttribute
{
    public static readonly string[] Tools = ["/usr/bin/bwrap", "/usr/bin/socat", "/usr/bin/curl"];

    public SandboxToolsFactAttribute()
    {
        if (Tools.FirstOrDefault(t => !File.Exists(t)) is { } missing) Skip = $"{missing} is not installed.";
    }
}
