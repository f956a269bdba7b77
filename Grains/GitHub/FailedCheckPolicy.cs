namespace SandboxAgents.GitHub;

/// <summary>
/// Which check runs count as failed and how much of each is kept: a check's output text can be 64 KB and a run can
/// carry thousands of annotations, and all of it ends up in a prompt, so the port keeps the head of each. Shared by the
/// adapter and the test fakes so both answer alike.
/// </summary>
internal static class FailedCheckPolicy
{
    /// <summary>At most this many failed checks are listed, in the order GitHub gives them.</summary>
    public const int MaxChecks = 10;

    /// <summary>At most this many annotations are read per check.</summary>
    public const int MaxAnnotations = 20;

    /// <summary>At most this many characters of a check's summary and of its text are kept.</summary>
    public const int MaxOutputLength = 4_000;

    private static readonly HashSet<string> FailingConclusions =
        new(["failure", "timed_out", "action_required", "cancelled", "startup_failure"], StringComparer.OrdinalIgnoreCase);

    /// <summary>A completed run whose conclusion is a failing one; a run still queued or in progress has none yet.</summary>
    public static bool IsFailed(string? status, string? conclusion) =>
        string.Equals(status, "completed", StringComparison.OrdinalIgnoreCase) && conclusion is not null && FailingConclusions.Contains(conclusion);

    /// <summary>The output's head, null kept as null.</summary>
    public static string? Cap(string? output) => output is null ? null : IssueText.Cap(output, MaxOutputLength);
}
