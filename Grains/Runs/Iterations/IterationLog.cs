using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// The iteration log in the agent's pull request's description: one line per iteration, between two markers, so that
/// each iteration replaces the log and leaves whatever else the description holds (a maintainer's edits) alone.
/// </summary>
public static class IterationLog
{
    public const string Begin = "<!-- sandbox-agents:iterations -->";
    public const string End = "<!-- /sandbox-agents:iterations -->";

    /// <summary>Longest agent summary quoted in one line.</summary>
    private const int MaxSummaryLength = 200;

    /// <summary>The log line of a run that pushed to the pull request; it names the run, so a replay finds its line.</summary>
    public static string Line(RunRecord run)
    {
        var commit = run.CommitSha is { Length: >= 7 } sha ? $" `{sha[..7]}`" : "";
        var said = UntrustedText.CodeSpan(run.AgentSummary, MaxSummaryLength) is { } summary ? $": `{summary}`" : "";
        return $"- Iteration {run.Iteration.ToString(CultureInfo.InvariantCulture)} ({Trigger(run)}){commit}, run `{run.RunId}`{said}";
    }

    /// <summary>What asked for the run, as the log and the comments name it.</summary>
    public static string Trigger(RunRecord run) => run.Source switch
    {
        CommandSource.Review => $"review by @{run.RequestedBy}",
        CommandSource.ReviewComment => $"review comment by @{run.RequestedBy}",
        CommandSource.PullRequestComment => $"`/agent` comment by @{run.RequestedBy}",
        CommandSource.CheckSuite or CommandSource.WorkflowRun => "failing checks",
        _ => $"asked for by @{run.RequestedBy} ({StatusComment.Describe(run.Source)})",
    };

    /// <summary>The description with its log replaced by <paramref name="lines"/> (or added at its end).</summary>
    public static string Replace(string description, IReadOnlyList<string> lines)
    {
        var log = new StringBuilder().Append(Begin).Append('\n').Append("### Iterations\n\n");
        foreach (var line in lines) log.Append(line).Append('\n');
        log.Append(End);

        var start = description.IndexOf(Begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : description.IndexOf(End, start, StringComparison.Ordinal);
        if (start >= 0 && end >= 0) return description[..start] + log + description[(end + End.Length)..];
        return description.TrimEnd() + "\n\n" + log + "\n";
    }
}
