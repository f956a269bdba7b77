namespace SandboxAgents.Runs;

/// <summary>What <see cref="StatusCommentEffect"/> keeps on a run about its one status comment.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.StatusCommentState")]
public sealed class StatusCommentState
{
    [Id(0)] public long? Id { get; set; }

    /// <summary>The run's <see cref="RunRecord.Version"/> the comment last showed.</summary>
    [Id(1)] public int ShownVersion { get; set; }

    /// <summary>When the comment was last written, and the agent activity it showed.</summary>
    [Id(2)] public DateTimeOffset? WrittenAt { get; set; }
    [Id(3)] public string? WrittenActivity { get; set; }

    /// <summary>While the comment cannot be written: failures in a row, since when, and not to be tried again before when.</summary>
    [Id(4)] public int Failures { get; set; }
    [Id(5)] public DateTimeOffset? FailingSince { get; set; }
    [Id(6)] public DateTimeOffset? RetryAt { get; set; }

    /// <summary>
    /// The run ended and its comment has failed to be written for longer than <see cref="RunOptions.CommentRetryLimit"/>:
    /// what it says on GitHub is not the run's ending. Shown by the API and the dashboard; the run stops trying.
    /// </summary>
    [Id(7)] public bool Stale { get; set; }
}
