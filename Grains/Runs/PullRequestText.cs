using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs;

/// <summary>
/// Title and body of the pull request a successful run opens. Its first line, <c>Closes #n</c> for the run's own issue,
/// is the only closing reference in it: the agent's words go through <see cref="UntrustedText"/>, which leaves none.
/// </summary>
public static class PullRequestText
{
    public static string Title(IssueKey issue, RunRecord run) =>
        $"{Trim(TaskDocument.Clean(run.Issue.Title), 200)} (#{issue.Number.ToString(CultureInfo.InvariantCulture)})";

    public static string Body(IssueKey issue, RunRecord run, DateTimeOffset now)
    {
        var body = new StringBuilder();
        body.AppendLine($"Closes #{issue.Number.ToString(CultureInfo.InvariantCulture)}");
        body.AppendLine();
        body.AppendLine($"A coding agent made this change in a sandbox, asked for by @{run.RequestedBy} ({StatusComment.Describe(run.Source)}).");
        body.AppendLine();
        if (!string.IsNullOrWhiteSpace(run.AgentSummary))
        {
            body.AppendLine("### What the agent said");
            body.AppendLine(UntrustedText.Markdown(run.AgentSummary, StatusComment.MaxSummaryLength));
            body.AppendLine();
        }

        if (StatusComment.BlockedHosts(run) is { } blocked)
        {
            body.AppendLine(blocked);
            body.AppendLine();
        }

        var duration = now - (run.StartedAt ?? run.CreatedAt);
        body.AppendLine($"Cost: {StatusComment.FormatCost(run.CostUsd)} · turns: {run.Turns?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} · model: {StatusComment.ModelShown(run)} · duration: {(int)duration.TotalMinutes}m {duration.Seconds}s · run `{run.RunId}`");
        body.AppendLine();
        body.AppendLine("Review it like any other contribution before merging.");
        return body.ToString();
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
