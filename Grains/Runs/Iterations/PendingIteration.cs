namespace SandboxAgents.Runs.Iterations;

/// <summary>
/// The feedback waiting to start an iteration: several signals (a review and its line comments, say) add up to one.
/// A review wins over a failing check: its iteration reads the failing checks too.
/// </summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.Iterations.PendingIteration")]
public sealed class PendingIteration
{
    [Id(0)] public CommandKind Kind { get; set; }
    [Id(1)] public CommandSource Source { get; set; }
    [Id(2)] public string Actor { get; set; } = "";
    [Id(3)] public DateTimeOffset RequestedAt { get; set; }

    /// <summary>Instructions given with <c>/agent</c> comments on the pull request, oldest first.</summary>
    [Id(4)] public List<string> Instructions { get; set; } = [];

    /// <summary>For a fix: the head commit whose checks failed, and the suites or workflows that failed.</summary>
    [Id(5)] public string? FailingHead { get; set; }
    [Id(6)] public List<string> FailingChecks { get; set; } = [];
}
