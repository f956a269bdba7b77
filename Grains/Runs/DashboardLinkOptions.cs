namespace SandboxAgents.Runs;

/// <summary>Section <c>Gateway</c>: where people reach this service, so that comments can link to a run's page.</summary>
public sealed class DashboardLinkOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The dashboard's public base URL, e.g. <c>https://agents.example.com</c>; no link when empty.</summary>
    public Uri? PublicUrl { get; set; }

    public string? LinkTo(IssueKey issue) => PublicUrl is null ? null : DashboardRoutes.IssuePage(PublicUrl, issue);
}
