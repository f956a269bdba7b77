namespace SandboxAgents.Sandboxes;

/// <summary>A file asked for from a sandbox is larger than the caller accepts; nothing of it was taken.</summary>
public sealed class SandboxFileTooLargeException : SandboxException
{
    public SandboxFileTooLargeException() { }
    public SandboxFileTooLargeException(string message) : base(message) { }
    public SandboxFileTooLargeException(string message, Exception inner) : base(message, inner) { }

    public SandboxFileTooLargeException(string path, long maxBytes)
        : base($"{path} in the sandbox is larger than {maxBytes} bytes.") { }
}
