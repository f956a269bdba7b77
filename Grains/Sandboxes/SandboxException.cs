namespace SandboxAgents.Sandboxes;

/// <summary>A sandbox provider could not do what was asked (the sandbox is missing, the backend failed).</summary>
public class SandboxException : Exception
{
    public SandboxException() { }
    public SandboxException(string message) : base(message) { }
    public SandboxException(string message, Exception inner) : base(message, inner) { }
}
