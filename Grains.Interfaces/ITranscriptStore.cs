namespace SandboxAgents;

/// <summary>
/// Where runs' redacted transcripts (the agent's stream-json output, one JSON event a line) are kept for
/// <c>Runs:TranscriptRetention</c>: files under <c>{Storage:Path}/transcripts</c>, or Redis keys that expire, when
/// <c>Storage:Provider=redis</c>.
/// </summary>
public interface ITranscriptStore
{
    Task SaveAsync(IssueKey issue, string runId, ReadOnlyMemory<byte> transcript, CancellationToken cancellationToken);

    /// <summary>The run's transcript, or null when none was kept or it has expired.</summary>
    Task<byte[]?> ReadAsync(IssueKey issue, string runId, CancellationToken cancellationToken);
}

/// <summary>The names a transcript is stored under.</summary>
public static class TranscriptNames
{
    /// <summary>A run id as the service makes them (lower-case hex), so that no caller's text ever becomes a path or a key.</summary>
    public static bool IsRunId(string? runId) =>
        runId is { Length: > 0 and <= 64 } && runId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'z'));

    /// <summary><c>owner~repo~number~run</c>: <c>~</c> is in neither an owner's nor a repository's name.</summary>
    public static string For(IssueKey issue, string runId) =>
        IsRunId(runId)
            ? $"{issue.Owner}~{issue.Repository}~{issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)}~{runId}"
            : throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
}
