using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Gateway.Api;

/// <summary>What a route lets through (its authorization policy names one of these).</summary>
public enum OperatorAccess
{
    /// <summary>The dashboard's reads: open with <c>Api:PublicReads</c>, otherwise the key or a session.</summary>
    Read = 0,

    /// <summary>Operator pages (the Orleans dashboard): the key or a session, never public.</summary>
    Operator = 1,

    /// <summary>Changes (cancel, retry, start): the key, or a session from the dashboard itself (<c>X-Requested-From: dashboard</c>).</summary>
    Write = 2,
}

/// <summary>How the caller proved it knows the operator key, if it did.</summary>
public enum OperatorCredential
{
    None = 0,
    Bearer = 1,
    Session = 2,
}

/// <summary>Why a request was refused: the status and a sentence that says what to do.</summary>
public sealed record OperatorRefusal(int StatusCode, string Message);

/// <summary>The one place that decides who may read and who may change things.</summary>
public static class OperatorRules
{
    public const string DashboardHeader = "X-Requested-From";
    public const string DashboardHeaderValue = "dashboard";

    /// <summary>Null when the request may go on; otherwise what to answer.</summary>
    public static OperatorRefusal? Check(OperatorAccess access, ApiOptions options, OperatorCredential credential, bool fromDashboard)
    {
        if (access == OperatorAccess.Read && options.PublicReads) return null;
        if (!options.HasKey)
        {
            return new(StatusCodes.Status403Forbidden, access == OperatorAccess.Read
                ? "Reads are closed: set Api:Key (then sign in, or send Authorization: Bearer <Api:Key>), or set Api:PublicReads=true for a public read-only dashboard."
                : "The operator API is disabled: set Api:Key to enable it.");
        }

        return (access, credential) switch
        {
            (_, OperatorCredential.None) => new(StatusCodes.Status401Unauthorized,
                "Missing or wrong operator key: sign in on the dashboard, or send Authorization: Bearer <Api:Key>."),
            (OperatorAccess.Write, OperatorCredential.Session) when !fromDashboard => new(StatusCodes.Status403Forbidden,
                $"A browser session changes runs only from the dashboard ({DashboardHeader}: {DashboardHeaderValue}); scripts send Authorization: Bearer <Api:Key>."),
            _ => null,
        };
    }

    public static bool IsFromDashboard(HttpRequest request) =>
        string.Equals(request.Headers[DashboardHeader], DashboardHeaderValue, StringComparison.OrdinalIgnoreCase);
}
