namespace SandboxAgents.Git;

/// <summary>
/// The service's git could not do what was asked. <see cref="IsPermanent"/>: trying again cannot help (the agent's
/// changes were refused, the repository has no commits); otherwise it may be a passing fault (the network, GitHub).
/// </summary>
public sealed class GitException : Exception
{
    public GitException() { }
    public GitException(string message) : base(message) { }
    public GitException(string message, Exception inner) : base(message, inner) { }
    public GitException(string message, bool permanent) : base(message) => IsPermanent = permanent;

    public bool IsPermanent { get; }
}
