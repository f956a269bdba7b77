namespace SandboxAgents.Sandboxes;

/// <summary>The sandbox itself broke (it went to an error state, or vanished): trying the same step again cannot help.</summary>
public sealed class SandboxFailedException : SandboxException
{
    public SandboxFailedException() { }
    public SandboxFailedException(string message) : base(message) { }
    public SandboxFailedException(string message, Exception inner) : base(message, inner) { }
}
