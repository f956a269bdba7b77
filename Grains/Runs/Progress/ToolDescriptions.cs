using System.Text.Json;

namespace SandboxAgents.Runs.Progress;

/// <summary>What a tool call does, in words: the tool's verb and the one input a person cares about.</summary>
internal static class ToolDescriptions
{
    private const int MaxSubjectLength = 160;

    /// <summary><paramref name="input"/> is the call's input object, or <c>default</c> when it has none.</summary>
    public static string Describe(string tool, JsonElement input) => tool switch
    {
        "Bash" => Subject(input, "command", firstLine: true) is { } command ? $"Running `{command.Replace('`', '\'')}`" : "Running a command",
        "Edit" or "MultiEdit" => "Editing " + (Path(input, "file_path") ?? "a file"),
        "NotebookEdit" => "Editing " + (Path(input, "notebook_path") ?? "a notebook"),
        "Write" => "Writing " + (Path(input, "file_path") ?? "a file"),
        "Read" => "Reading " + (Path(input, "file_path") ?? Path(input, "path") ?? "a file"),
        "Grep" or "Glob" => Subject(input, "pattern") is { } pattern ? $"Searching for {pattern}" : "Searching the code",
        "WebFetch" => Subject(input, "url") is { } url ? $"Fetching {url}" : "Fetching a web page",
        "WebSearch" => Subject(input, "query") is { } query ? $"Searching the web for {query}" : "Searching the web",
        "TodoWrite" => "Updating its plan",
        "Task" or "Agent" => "Starting a sub-agent",
        _ => "Using " + tool,
    };

    private static string? Subject(JsonElement input, string name, bool firstLine = false)
    {
        var value = StreamJsonActivity.String(input, name);
        var text = firstLine ? ActivityText.FirstLine(value, MaxSubjectLength) : ActivityText.Clean(value, MaxSubjectLength);
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// A path as the agent named it, relative to the checkout when it lies in it: the runner's checkout is the folder
    /// <c>repo</c> of the sandbox's work folder, wherever the provider puts that (<c>/workspace/repo</c> locally).
    /// </summary>
    private static string? Path(JsonElement input, string name)
    {
        var path = StreamJsonActivity.String(input, name);
        if (string.IsNullOrEmpty(path)) return null;
        const string checkout = "/" + Runner.RunnerFiles.Checkout + "/";
        var at = path.IndexOf(checkout, StringComparison.Ordinal);
        if (path.StartsWith('/') && at >= 0 && path.AsSpan(0, at).Count('/') <= 3) path = path[(at + checkout.Length)..];
        var clean = ActivityText.Clean(path, MaxSubjectLength);
        return clean.Length == 0 ? null : clean;
    }
}
