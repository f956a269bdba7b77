namespace SandboxAgents.Runs.Progress;

/// <summary>
/// The runner's last lines of output as the comment and the API show them: each stream-json event as its activity,
/// events that say nothing new (tool results) left out, plain lines kept; every line redacted and capped.
/// </summary>
public sealed record ReadableTail(IReadOnlyList<string> Lines, IReadOnlyList<ToolCall> ToolCalls)
{
    public static ReadableTail From(IEnumerable<string> tail, SecretRedactor redactor)
    {
        var activities = tail.Select(StreamJsonActivity.Read).OfType<AgentActivity>().ToList();
        return Of(activities, activities.SelectMany(a => a.ToolCalls), redactor);
    }

    /// <summary>Lines already read (by a follow, as they came), with the calls to stamp as steps.</summary>
    public static ReadableTail Of(IEnumerable<AgentActivity> tail, IEnumerable<ToolCall> calls, SecretRedactor redactor) => new(
        [.. tail.Select(a => redactor.Redact(a.Text))],
        [.. calls.Select(c => c with { Text = redactor.Redact(c.Text) })]);
}
