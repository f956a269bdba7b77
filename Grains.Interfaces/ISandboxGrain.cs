using Orleans.Concurrency;

namespace SandboxAgents;

/// <summary>One GitHub issue's runs: at most one active at a time, each in its own sandbox. Key: <see cref="IssueKey"/>.</summary>
[Alias("SandboxAgents.ISandboxGrain")]
public interface ISandboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Judges a command against the issue's runs (and the commands already waiting) and, when it is accepted, records
    /// it and returns at once, even while the grain is in the middle of a slow step; the grain acts on it in its own
    /// turn (a cancel also aborts that step). Idempotent per delivery id: a delivery seen before changes nothing.
    /// </summary>
    [Alias("Submit"), AlwaysInterleave]
    Task<CommandAnswer> SubmitAsync(IssueCommand command);

    /// <summary>
    /// Whether a run of this issue that has not ended owns the sandbox (by its id, or by the run id in its labels while
    /// the create's answer is not yet stored). No side effects.
    /// </summary>
    [Alias("OwnsSandbox"), AlwaysInterleave]
    Task<bool> OwnsSandboxAsync(string sandboxId, string? runId);

    /// <summary>The latest run and the history, read without waiting behind a transition. No side effects.</summary>
    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<IssueSnapshot> GetSnapshotAsync();
}
