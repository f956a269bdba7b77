namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// A failure the fake answers with a status and message; the host writes it in the API's or the daemon's error body,
/// whichever side of the fake the request came in on.
/// </summary>
internal sealed class DaytonaException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
