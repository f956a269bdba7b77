using System.Text.Json.Nodes;

namespace SandboxAgents.Tests.Fakes.Messages;

/// <summary>
/// One answer of a scripted model. It is sent once <see cref="Gate"/> completes, so a test can hold the agent in the
/// middle of its work without waiting for time to pass.
/// </summary>
public abstract record ModelTurn
{
    public Task Gate { get; init; } = Task.CompletedTask;

    /// <summary>Output tokens the answer reports in <c>message_delta</c>: what the CLI prices the turn by.</summary>
    public int OutputTokens { get; init; } = 25;

    /// <summary>A final text answer (<c>stop_reason: end_turn</c>).</summary>
    public static ModelTurn Say(string text) => new TextTurn(text);

    /// <summary>A Bash tool call (<c>stop_reason: tool_use</c>).</summary>
    public static ModelTurn Bash(string command, string description) =>
        new ToolTurn("Bash", _ => new JsonObject { ["command"] = command, ["description"] = description });

    /// <summary>A Write tool call for a path relative to the agent's working directory (the tool wants it absolute).</summary>
    public static ModelTurn Write(string relativePath, string content) =>
        new ToolTurn("Write", cwd => new JsonObject { ["file_path"] = $"{cwd.TrimEnd('/')}/{relativePath}", ["content"] = content });

    /// <summary>An HTTP error with the real API's error body, e.g. 401 <c>authentication_error</c>.</summary>
    public static ModelTurn Refuse(int status, string errorType, string message) => new ErrorTurn(status, errorType, message);
}

public sealed record TextTurn(string Text) : ModelTurn;

/// <summary>A tool call; its input is made from the agent's working directory as its request states it.</summary>
public sealed record ToolTurn(string Tool, Func<string, JsonObject> Input) : ModelTurn;

public sealed record ErrorTurn(int Status, string ErrorType, string Message) : ModelTurn;
