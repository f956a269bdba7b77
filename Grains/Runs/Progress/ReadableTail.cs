namespace SandboxAgents.Runs.Progress;

/// <summary>
/// The runner's last lines of output as the comment and the API show them: each stream-json event as its activity,
/// events that say nothing new (tool results) left out, plain lines kept; every line redacted and capped.
/// </summary>
public sealed record ReadableTail(IReadOnlyList<string> Lines, IReadOnlyList<ToolCall> ToolCalls)
{
    public static ReadableTail From(IEnumerable<string> tail, SecretRedactor redactor)
    {
        var lines = new List<string>();
        var calls = new List<ToolCall>();
        foreach (var line in tail)
        {
            if (StreamJsonActivity.Read(line) is not { } activity) continue;
            lines.Add(redactor.Redact(activity.Text));
            calls.AddRange(activity.ToolCalls.Select(c => c with { Text = redactor.Redact(c.Text) }));
        }

        return new ReadableTail(lines, calls);
    }
}
