namespace SandboxAgents.Sandboxes;

/// <summary>Section <c>Sandbox</c>: which provider gives runs their sandboxes.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";
    public const string Local = "local";
    public const string Daytona = "daytona";

    /// <summary><c>local</c> (default) or <c>daytona</c>.</summary>
    public string Provider { get; set; } = Local;
}
