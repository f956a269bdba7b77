namespace SandboxAgents.Sandboxes;

/// <summary>
/// The backend has no room for another sandbox now (an organisation quota). Not a failure of the run: it waits and
/// asks again later.
/// </summary>
public sealed class SandboxCapacityException : SandboxException
{
    public SandboxCapacityException() { }
    public SandboxCapacityException(string message) : base(message) { }
    public SandboxCapacityException(string message, Exception inner) : base(message, inner) { }
}
