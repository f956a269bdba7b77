namespace SandboxAgents.Runs;

/// <summary>Section <c>Gateway</c>: where people reach this service, so that comments can link to a run's page.</summary>
public sealed class DashboardLinkOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The dashboard's public base URL, e.g. <c>https://agents.example.com</c>; no link when empty.</summary>
    public Uri? PublicUrl { get; set; }

    public string? LinkTo(IssueKey issue) => PublicUrl is null ? null : DashboardRoutes.IssuePage(PublicUrl, issue);

    /// <summary>The run's transcript at the public URL, when the run kept one and the URL is known.</summary>
    public string? TranscriptOf(IssueKey issue, RunRecord run) =>
        PublicUrl is null || !run.TranscriptKept ? null : PublicUrl.ToString().TrimEnd('/') + DashboardRoutes.TranscriptPath(issue, run.RunId);
}
