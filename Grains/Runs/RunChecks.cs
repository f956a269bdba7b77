using SandboxAgents.Runner;

namespace SandboxAgents.Runs;

/// <summary>
/// The runner's setup and validate reports as the run keeps them: redacted, then capped (the end of an output is what
/// explains it). The runner wrote them after the agent ran in the same sandbox, so they are untrusted text.
/// </summary>
public static class RunChecks
{
    /// <summary>Validate commands kept; a repository that configures more gets the first ones shown.</summary>
    internal const int MaxValidateCommands = 20;

    internal const int MaxCommandLength = 500;

    /// <summary>Characters of a command's last lines kept (the runner keeps 30 lines).</summary>
    internal const int MaxTailLength = 4_000;

    /// <summary>Said of a configured validate command the runner reported nothing for.</summary>
    internal const string NotRunTail = "Not run: the runner reported no result for it (the run was stopped before it, or ended first).";

    /// <summary>
    /// The reports, then each configured validate command the runner did not report as not run: an agent that stops
    /// the run early, or breaks the runner, must not turn a validation it would fail into "not validated".
    /// </summary>
    public static List<CheckSummary> From(RunnerResult result, RunSettings settings, SecretRedactor redactor)
    {
        var checks = new List<CheckSummary>();
        if (result.Setup is { } setup) checks.Add(Summary(CheckPhases.Setup, setup, redactor));
        var reported = (result.Validation ?? []).Take(MaxValidateCommands).ToList();
        foreach (var report in reported) checks.Add(Summary(CheckPhases.Validate, report, redactor));
        if (result.Outcome != RunnerOutcomes.Error)
            foreach (var command in settings.ValidateCommands.Take(MaxValidateCommands).Skip(reported.Count))
                checks.Add(new CheckSummary(CheckPhases.Validate, Head(redactor.Redact(command), MaxCommandLength), CheckSummary.NotRun, TimeSpan.Zero, NotRunTail));
        return checks;
    }

    private static CheckSummary Summary(string phase, CommandReport report, SecretRedactor redactor) => new(
        phase,
        Head(redactor.Redact(report.Command ?? ""), MaxCommandLength),
        report.ExitCode,
        TimeSpan.FromMilliseconds(Math.Max(0, report.DurationMs)),
        report.Tail is { } tail ? End(redactor.Redact(tail), MaxTailLength) : null);

    private static string Head(string text, int max) => text.Length <= max ? text : IssueText.Cap(text, max) + "…";

    /// <summary>The last <paramref name="max"/> characters of the text, after "…" when some were left out.</summary>
    internal static string End(string text, int max)
    {
        if (text.Length <= max) return text;
        var start = text.Length - max;
        if (char.IsLowSurrogate(text[start])) start++;
        return "…" + text[start..];
    }
}
