using System.Net;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>Daytona answered with an error status; <see cref="Exception.Message"/> carries its message, never credentials.</summary>
public sealed class DaytonaApiException : SandboxException
{
    public DaytonaApiException() { }

    public DaytonaApiException(string message) : base(message) { }

    public DaytonaApiException(string message, Exception inner) : base(message, inner) { }

    public DaytonaApiException(HttpStatusCode status, string message) : base($"Daytona answered {(int)status} {status}: {message}") =>
        StatusCode = status;

    public HttpStatusCode StatusCode { get; }
}
