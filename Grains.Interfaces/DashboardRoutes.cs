namespace SandboxAgents;

/// <summary>
/// The dashboard's addresses that others link to, in one place for the gateway that serves them and the status
/// comments that point at them: the page, and the query parameter that opens an issue's detail (dashboard.js reads it).
/// </summary>
public static class DashboardRoutes
{
    public const string Page = "/";

    public const string IssueParameter = "issue";

    /// <summary>The page with <paramref name="issue"/>'s detail open, under the public base URL (which may have a path).</summary>
    public static string IssuePage(Uri publicUrl, IssueKey issue) =>
        $"{publicUrl.ToString().TrimEnd('/')}{Page}?{IssueParameter}={Uri.EscapeDataString(issue.ToString())}";

    /// <summary>The route of a run's transcript, relative to the service's base URL (behind the operator key).</summary>
    public static string TranscriptPath(IssueKey issue, string runId) =>
        $"/api/tasks/{issue.Owner}/{issue.Repository}/{issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}/runs/{Uri.EscapeDataString(runId)}/transcript";
}
