using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs;

/// <summary>
/// The one comment a run keeps on its issue, rendered from the run's record. Everything the agent could have chosen
/// (its summary, errors, latest output, the hosts it tried) goes through <see cref="UntrustedText"/>.
/// </summary>
public static class StatusComment
{
    /// <summary>Characters of the agent's summary shown (the pull request has it too).</summary>
    internal const int MaxSummaryLength = 4_000;

    /// <summary>Characters of an error shown.</summary>
    internal const int MaxErrorLength = 2_000;

    /// <summary>Blocked hosts named, and characters of each.</summary>
    internal const int MaxBlockedHostsShown = 10;
    internal const int MaxHostLength = 100;

    private const int MaxActivityLength = 160;

    private const int MaxModelNameLength = 100;

    /// <summary>Marks the comment as this run's, so a replay finds it instead of posting a second one.</summary>
    public static string Marker(string runId) => $"{MarkerPrefix}{runId} -->";

    /// <summary>Whether the comment is one of the service's status comments (whoever's token posted it).</summary>
    public static bool IsStatusComment(string body) => body.StartsWith(MarkerPrefix, StringComparison.Ordinal);

    private const string MarkerPrefix = "<!-- sandbox-agents run:";

    public static string Render(RunRecord run, string commandPrefix, string? dashboardLink, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.AppendLine(Marker(run.RunId));
        text.AppendLine($"{Icon(run.State)} **{Headline(run)}**");
        text.AppendLine();
        text.AppendLine($"Run `{run.RunId}` requested by @{run.RequestedBy} ({Describe(run.Source)}) · {Elapsed(run, now)}");
        if (run.IteratesOn is { } pullRequest)
            text.AppendLine($"\nIteration {run.Iteration.ToString(CultureInfo.InvariantCulture)} on pull request #{pullRequest.ToString(CultureInfo.InvariantCulture)}, on its branch `{run.Branch}`.");
        if (Messages(run) is { } messages) text.AppendLine($"\n{messages}");
        if (run.State == RunState.Queued && run.Transitions[^1].Note is { } waiting && run.RetryAt is not null)
            text.AppendLine($"\n> {waiting} Trying again at {run.RetryAt:HH:mm} UTC.");
        if (run.State == RunState.Running && CurrentActivity(run) is { } activity)
            text.AppendLine($"\nNow: `{activity}`");
        if (run.PullRequestUrl is not null) text.AppendLine($"\nPull request: {run.PullRequestUrl}");
        if (run.State.IsTerminal()) AppendEvidence(text, run);
        if (run.State.IsTerminal() && run.Error is not null) text.AppendLine($"\n{Quote(UntrustedText.Markdown(run.Error, MaxErrorLength))}");
        if (run.State.IsTerminal() && EvidenceText.Checks(run) is { } checks) text.AppendLine($"\n{checks}");
        if (BlockedHosts(run) is { } blocked) text.AppendLine($"\n{blocked}");
        if (run.State == RunState.Succeeded && !string.IsNullOrWhiteSpace(run.AgentSummary))
            text.AppendLine($"\n<details><summary>What the agent said</summary>\n\n{UntrustedText.Markdown(run.AgentSummary, MaxSummaryLength)}\n\n</details>");
        if (run.CostUsd is not null || run.Turns is not null)
            text.AppendLine($"\nCost: {FormatCost(run.CostUsd)} · turns: {run.Turns?.ToString(CultureInfo.InvariantCulture) ?? "n/a"} · model: {ModelShown(run)}");
        if (dashboardLink is not null) text.AppendLine($"\n[Follow this run on the dashboard]({dashboardLink})");
        text.AppendLine();
        text.AppendLine(run.State.IsActive()
            ? $"<sub>To stop it, comment `{commandPrefix} cancel` or remove the trigger label.</sub>"
            : $"<sub>To try again, comment `{commandPrefix} retry`.</sub>");
        return text.ToString();
    }

    /// <summary>One line per message sent to the run: taken, delivered, or come too late (null when there are none).</summary>
    internal static string? Messages(RunRecord run)
    {
        if (run.Messages.Count == 0) return null;
        var lines = run.Messages.Select(m =>
            m.Late ? $"> Message from @{m.From}: came after the agent's work was published, so it was not delivered; comment it on the pull request for another iteration."
            : m.DeliveredAt is not null ? $"> Message from @{m.From}: delivered to the agent."
            : run.State.IsTerminal() ? $"> Message from @{m.From}: not delivered: the run ended before the agent's current step did."
            : $"> Message from @{m.From}: taken; the agent gets it when its current step ends.");
        return string.Join("\n>\n", lines);
    }

    /// <summary>The agent's latest line of output (already redacted), made fit to stand in a code span.</summary>
    public static string? CurrentActivity(RunRecord run) =>
        UntrustedText.CodeSpan(run.LogTail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)), MaxActivityLength);

    /// <summary>"The sandbox's network filter blocked: `a`, `b` and N more." or null when it blocked nothing.</summary>
    internal static string? BlockedHosts(RunRecord run)
    {
        var hosts = run.BlockedHosts.Select(h => UntrustedText.CodeSpan(h, MaxHostLength)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (hosts.Count == 0) return null;
        var named = string.Join(", ", hosts.Take(MaxBlockedHostsShown).Select(h => $"`{h}`"));
        var more = hosts.Count > MaxBlockedHostsShown ? $" and {(hosts.Count - MaxBlockedHostsShown).ToString(CultureInfo.InvariantCulture)} more" : "";
        return $"The sandbox's network filter blocked: {named}{more}.";
    }

    /// <summary>What became of the agent's work: the banners that apply to it, and for a run that did not succeed, where its pushed branch is.</summary>
    private static void AppendEvidence(StringBuilder text, RunRecord run)
    {
        foreach (var banner in EvidenceText.Banners(run, inPullRequest: false)) text.AppendLine($"\n{banner}");
        if (run.State is not (RunState.Failed or RunState.TimedOut) || EvidenceText.BranchLink(run) is not { } branch) return;
        text.AppendLine(run.PullRequestUrl is null
            ? $"\nThe agent's work was pushed to the branch {branch}, but no pull request could be opened for it."
            : $"\nThe agent's work was pushed to the branch {branch}.");
    }

    private static string Quote(string markdown) => string.Join('\n', markdown.Split('\n').Select(line => "> " + line));

    private static string Headline(RunRecord run) => run.State switch
    {
        RunState.Queued when run.Queue.Position is { } place => $"Queued: number {place} in line for a sandbox",
        RunState.Queued => "Queued: waiting for a sandbox",
        RunState.Provisioning => "Preparing a sandbox",
        RunState.Running when run.StopRequestedAt is not null => "The time limit is reached: the agent is asked to wrap up, and what it has will be kept",
        RunState.Running => "The agent is working on this issue",
        RunState.Publishing => "Publishing the agent's changes",
        RunState.Succeeded when run.Verified == false => "Done, but unverified: its validation failed, so the pull request is a draft",
        RunState.Succeeded => "Done: a pull request is ready for review",
        RunState.NoChanges => "Finished without changes",
        RunState.Failed when run.PullRequestUrl is not null && run.IncompleteBecause is not null => "Failed: the incomplete work is in a draft pull request",
        RunState.Failed => "Failed",
        RunState.TimedOut when run.PullRequestUrl is not null && run.IncompleteBecause is not null => "Timed out: the incomplete work is in a draft pull request",
        RunState.TimedOut => "Timed out",
        RunState.Cancelled => "Cancelled",
        _ => run.State.ToString(),
    };

    private static string Icon(RunState state) => state switch
    {
        RunState.Succeeded => "✅",
        RunState.NoChanges => "➖",
        RunState.Failed => "❌",
        RunState.TimedOut => "⏱️",
        RunState.Cancelled => "🛑",
        _ => "⏳",
    };

    internal static string Describe(CommandSource source) => source switch
    {
        CommandSource.Label => "trigger label",
        CommandSource.Comment => "comment",
        CommandSource.IssueClosed => "issue closed",
        CommandSource.LabelRemoved => "trigger label removed",
        CommandSource.Api => "operator API",
        CommandSource.Dashboard => "dashboard",
        CommandSource.AppUninstalled => "the GitHub App was uninstalled",
        CommandSource.AppSuspended => "the GitHub App was suspended",
        CommandSource.RepositoryRemoved => "the repository was removed from the GitHub App",
        CommandSource.Review => "review",
        CommandSource.ReviewComment => "review comment",
        CommandSource.PullRequestComment => "comment on the pull request",
        CommandSource.CheckSuite => "failing check suite",
        CommandSource.WorkflowRun => "failing workflow run",
        CommandSource.PullRequestPush => "push to the pull request",
        _ => source.ToString(),
    };

    private static string Elapsed(RunRecord run, DateTimeOffset now)
    {
        var span = (run.EndedAt ?? now) - run.CreatedAt;
        var text = DurationText.Of(span);
        return run.State.IsTerminal() ? $"took {text}" : $"running for {text}";
    }

    /// <summary>The run's model (a name <see cref="ModelName"/> allows, so plain text), or the agent's default.</summary>
    internal static string ModelShown(RunRecord run) => run.StoredSettings?.Model ?? "the agent's default";

    internal static string FormatCost(decimal? cost) => cost is null ? "n/a" : "$" + cost.Value.ToString("0.00##", CultureInfo.InvariantCulture);
}
