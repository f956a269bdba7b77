namespace SandboxAgents.Runs;

/// <summary>
/// Fields under the names a run was stored with before its follow-up work had a shape of its own (Nov 2026): read into
/// <see cref="Comment"/> and <see cref="Queue"/>, never written. Grain state is stored as JSON by property name.
/// </summary>
public sealed partial class RunRecord
{
    public long? StatusCommentId { set => Comment.Id ??= value; }
    public int CommentVersion { set => Comment.ShownVersion = value; }
    public DateTimeOffset? CommentedAt { set => Comment.WrittenAt ??= value; }
    public string? CommentedActivity { set => Comment.WrittenActivity ??= value; }
    public int CommentFailures { set => Comment.Failures = value; }
    public DateTimeOffset? CommentFailingSince { set => Comment.FailingSince ??= value; }
    public DateTimeOffset? CommentRetryAt { set => Comment.RetryAt ??= value; }
    public bool CommentStale { set => Comment.Stale |= value; }
    public bool HoldsSlot { set => Queue.HoldsSlot |= value; }
    public int? QueuePosition { set => Queue.Position ??= value; }
}
