namespace SandboxAgents.GitHub;

/// <summary>
/// GitHub could not be asked: the connection failed, the request timed out, or GitHub answered with a server error
/// (5xx). Nothing says the request was refused; trying again later may work.
/// </summary>
public sealed class GitHubUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
