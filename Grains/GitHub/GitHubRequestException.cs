namespace SandboxAgents.GitHub;

/// <summary>GitHub refused a request for a reason other than a rate limit (a 4xx): trying again as it is will not help.</summary>
public sealed class GitHubRequestException(int statusCode, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public int StatusCode => statusCode;
}
