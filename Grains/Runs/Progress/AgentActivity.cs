namespace SandboxAgents.Runs.Progress;

/// <summary>
/// One line of the agent's output as a person reads it ("Running `npm test`"), and the tool calls the line starts.
/// Agent-chosen text, cleaned and capped by <see cref="StreamJsonActivity"/> but not redacted.
/// </summary>
public sealed record AgentActivity(string Text, IReadOnlyList<ToolCall> ToolCalls)
{
    public static AgentActivity Plain(string text) => new(text, []);
}

/// <summary>A tool call the agent started: its id in the stream (<c>toolu_…</c>), the tool's name, and what it does.</summary>
public sealed record ToolCall(string Id, string Tool, string Text);
