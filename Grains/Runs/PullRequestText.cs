using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs;

/// <summary>
/// Title and body of the pull request a run opens: a successful one, or one that stopped at a limit with work to show. Its first line, <c>Closes #n</c> for the run's own issue,
/// is the only closing reference in it: the agent's words go through <see cref="UntrustedText"/>, which leaves none.
/// </summary>
public static class PullRequestText
{
    public static string Title(IssueKey issue, RunRecord run) =>
        $"{TitlePrefix(run)}{Trim(TaskDocument.Clean(run.Issue.Title), 200)} (#{issue.Number.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>A draft when the service is set so, and always for work that is incomplete or failed its validation.</summary>
    public static bool IsDraft(RunRecord run) => run.Settings.DraftPullRequest || run.IncompleteBecause is not null || run.Verified == false;

    /// <param name="transcriptLink">Where the run's transcript is served (behind the operator key), if anywhere.</param>
    public static string Body(IssueKey issue, RunRecord run, DateTimeOffset now, string? transcriptLink = null)
    {
        var body = new StringBuilder();
        // Merging incomplete work must not close the issue: the rest of it is still to do.
        body.AppendLine(run.IncompleteBecause is null
            ? $"Closes #{issue.Number.ToString(CultureInfo.InvariantCulture)}"
            : $"Part of #{issue.Number.ToString(CultureInfo.InvariantCulture)} (incomplete: merging it does not close the issue)");
        body.AppendLine();
        foreach (var banner in EvidenceText.Banners(run, inPullRequest: true))
        {
            body.AppendLine(banner);
            body.AppendLine();
        }

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

        if (EvidenceText.Checks(run) is { } checks)
        {
            body.AppendLine(checks);
            body.AppendLine();
        }

        var duration = now - (run.StartedAt ?? run.CreatedAt);
        body.AppendLine($"Cost: {StatusComment.FormatCost(run.CostUsd)} · turns: {run.Turns?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} · model: {StatusComment.ModelShown(run)} · duration: {DurationText.Of(duration)} · run `{run.RunId}`");
        body.AppendLine();
        if (transcriptLink is not null)
        {
            body.AppendLine($"Transcript: {transcriptLink}");
            body.AppendLine();
        }

        body.AppendLine("Review it like any other contribution before merging.");
        return body.ToString();
    }

    private static string TitlePrefix(RunRecord run) =>
        run.IncompleteBecause is not null ? "[Incomplete] " : run.Verified == false ? "[Unverified] " : "";

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
