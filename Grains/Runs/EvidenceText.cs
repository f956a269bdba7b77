using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs;

/// <summary>
/// What the status comment and the pull request say about a run's evidence: the limit it stopped at, whether its
/// validation passed, and each setup and validate command with its last lines. Commands and their output went through
/// the sandbox the agent worked in, so every part of them goes through <see cref="UntrustedText"/>.
/// </summary>
public static class EvidenceText
{
    internal const int MaxCommandShown = 120;

    /// <summary>Characters of one failed command's last lines shown.</summary>
    internal const int MaxTailShown = 3_000;

    /// <summary>Commands listed; more are counted.</summary>
    internal const int MaxChecksShown = 10;

    /// <summary>"⚠️ **Incomplete**: the agent reached its turn limit (50); …" or null for a run that did not stop at a limit with work.</summary>
    public static string? IncompleteBanner(RunRecord run, bool inPullRequest) => run.IncompleteBecause switch
    {
        null => null,
        var limit when inPullRequest => $"⚠️ **Incomplete**: {limit}. This draft holds the agent's work so far; the issue is not done.",
        var limit when run.PullRequestUrl is not null => $"⚠️ **Incomplete**: {limit}. The draft pull request holds the agent's work so far.",
        var limit => $"⚠️ **Incomplete**: {limit}.",
    };

    /// <summary>"⚠️ **Unverified**: `npm test` failed (exit code 1)." or null when validation passed or did not run.</summary>
    public static string? UnverifiedBanner(RunRecord run)
    {
        var failed = run.Checks.Where(c => c.Phase == CheckPhases.Validate && !c.Passed).ToList();
        if (failed.Count == 0) return null;
        var first = failed[0];
        var more = failed.Count > 1 ? $" and {(failed.Count - 1).ToString(CultureInfo.InvariantCulture)} more" : "";
        var how = first.Ran ? $"failed (exit code {first.ExitCode.ToString(CultureInfo.InvariantCulture)})" : "did not run";
        return $"⚠️ **Unverified**: {Command(first)} {how}{more}, so the pull request is a draft.";
    }

    /// <summary>Said of published work when the repository configures no <c>validate</c> commands.</summary>
    public const string NotValidated = "Not validated: the repository configures no `validate` commands (`.github/sandbox-agents.yml`).";

    /// <summary>The banners and the "not validated" line that apply to published work, in order; empty when none does.</summary>
    public static IEnumerable<string> Banners(RunRecord run, bool inPullRequest)
    {
        if (IncompleteBanner(run, inPullRequest) is { } incomplete) yield return incomplete;
        if (UnverifiedBanner(run) is { } unverified) yield return unverified;
        if (run.Verified is null && run.CommitSha is not null) yield return NotValidated;
    }

    /// <summary>
    /// "**Checks**" and one line a command (✅ or ❌, its phase, its time), then the last lines of each failed one in a
    /// collapsed block; null when the runner reported none.
    /// </summary>
    public static string? Checks(RunRecord run)
    {
        if (run.Checks.Count == 0) return null;
        var text = new StringBuilder();
        text.AppendLine("**Checks**");
        text.AppendLine();
        var shown = run.Checks.Take(MaxChecksShown).ToList();
        foreach (var check in shown)
        {
            var exit = check.Passed ? "" : check.Ran ? $", exit code {check.ExitCode.ToString(CultureInfo.InvariantCulture)}" : ", did not run";
            text.AppendLine($"- {(check.Passed ? "✅" : "❌")} {Phase(check)} {Command(check)} ({DurationText.Of(check.Duration)}{exit})");
        }

        if (run.Checks.Count > shown.Count)
            text.AppendLine($"- and {(run.Checks.Count - shown.Count).ToString(CultureInfo.InvariantCulture)} more");
        foreach (var failed in shown.Where(c => !c.Passed && !string.IsNullOrWhiteSpace(c.Tail)))
        {
            text.AppendLine();
            text.AppendLine($"<details><summary>Last lines of {Command(failed)}</summary>");
            text.AppendLine();
            text.AppendLine(Block(failed.Tail!));
            text.AppendLine();
            text.AppendLine("</details>");
        }

        return text.ToString().TrimEnd('\n', '\r');
    }

    /// <summary>"the branch [`agent/issue-7-ab12cd34`](url)" for a run whose branch was pushed, or null.</summary>
    public static string? BranchLink(RunRecord run) =>
        run.CommitSha is null || UntrustedText.CodeSpan(run.Branch, MaxCommandShown) is not { } name ? null
        : run.BranchUrl is { } url ? $"[`{name}`]({url})"
        : $"`{name}`";

    private static string Phase(CheckSummary check) => check.Phase == CheckPhases.Setup ? "setup" : "validate";

    /// <summary>
    /// The command as <c>&lt;code&gt;</c> with its content escaped: it also stands inside the HTML of a
    /// <c>&lt;summary&gt;</c>, where GitHub reads no markdown and a code span would leave its tags live.
    /// </summary>
    private static string Command(CheckSummary check) =>
        UntrustedText.Markdown($"`{UntrustedText.CodeSpan(check.Command, MaxCommandShown) ?? "(empty)"}`", int.MaxValue);

    /// <summary>
    /// Output shown as it was printed: fenced with more backticks than any line of it holds, so no line of it closes
    /// the block early, then made safe like any of the agent's text.
    /// </summary>
    private static string Block(string output)
    {
        output = RunChecks.End(output.ReplaceLineEndings("\n").TrimEnd('\n'), MaxTailShown);
        var longest = output.Split('\n').Select(l => l.TrimStart(' ')).Select(l => l.Length - l.TrimStart('`').Length).DefaultIfEmpty(0).Max();
        var fence = new string('`', Math.Max(3, longest + 1));
        return UntrustedText.Markdown($"{fence}\n{output}\n{fence}", output.Length + 2 * fence.Length + 2);
    }
}
