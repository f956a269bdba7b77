using System.Text.Json;

namespace SandboxAgents.Runs.Progress;

/// <summary>
/// Reads one line of the agent's output: a Claude Code <c>stream-json</c> event becomes what a person wants to know
/// ("Running `npm test`", "Editing src/app.ts"), or nothing when it says nothing new (a tool's result); any other line
/// is kept as plain text. Every word of it is the agent's choice: lengths are capped, control and invisible characters
/// dropped, and no line, however large, deep or oddly typed, makes it throw.
/// </summary>
public static class StreamJsonActivity
{
    /// <summary>Characters of an activity's text.</summary>
    public const int MaxTextLength = 200;

    /// <summary>Longer lines are not parsed: a provider hands over at most this much of a line.</summary>
    public const int MaxParsedLength = 256 * 1024;

    private const int MaxToolNameLength = 64;
    private const int MaxIdLength = 128;
    private const int MaxBlocks = 64;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    public static AgentActivity? Read(string? line)
    {
        var text = (line ?? "").Trim();
        if (text.Length == 0) return null;
        if (!LooksLikeJson(text)) return Plain(text);
        if (text.Length > MaxParsedLength) return IsEvent(text) ? null : Plain(text);
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && String(root, "type") is { } type ? FromEvent(type, root) : Plain(text);
        }
        catch (JsonException)
        {
            // A stream-json event cut short (a provider keeps only the start of a huge line) tells nothing readable.
            return IsEvent(text) ? null : Plain(text);
        }
    }

    private static bool LooksLikeJson(string text) => text[0] == '{';

    private static bool IsEvent(string text) => text.StartsWith("{\"type\":", StringComparison.Ordinal);

    private static AgentActivity? Plain(string text) =>
        ActivityText.Clean(text, MaxTextLength) is { Length: > 0 } clean ? AgentActivity.Plain(clean) : null;

    private static AgentActivity? FromEvent(string type, JsonElement root) => type switch
    {
        "system" when String(root, "subtype") == "init" =>
            AgentActivity.Plain(String(root, "model") is { } model && ActivityText.Clean(model, 80) is { Length: > 0 } name ? $"Starting (model {name})" : "Starting"),
        "assistant" => FromMessage(root),
        "result" => AgentActivity.Plain("Finished"),
        _ => null,
    };

    /// <summary>An assistant message: its tool calls, and as its text the last block that says something.</summary>
    private static AgentActivity? FromMessage(JsonElement root)
    {
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return null;

        string? last = null;
        var calls = new List<ToolCall>();
        foreach (var block in content.EnumerateArray().Take(MaxBlocks))
        {
            if (block.ValueKind != JsonValueKind.Object) continue;
            switch (String(block, "type"))
            {
                case "tool_use":
                    var tool = ActivityText.Clean(String(block, "name"), MaxToolNameLength);
                    if (tool.Length == 0) continue;
                    var input = block.TryGetProperty("input", out var given) && given.ValueKind == JsonValueKind.Object ? given : default;
                    last = ToolDescriptions.Describe(tool, input);
                    if (ActivityText.Clean(String(block, "id"), MaxIdLength) is { Length: > 0 } id) calls.Add(new ToolCall(id, tool, last));
                    break;
                case "text" when ActivityText.FirstLine(String(block, "text"), MaxTextLength) is { Length: > 0 } said:
                    last = said;
                    break;
            }
        }

        return last is null ? null : new AgentActivity(last, calls);
    }

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
