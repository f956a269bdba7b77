using System.Text.Json;
using SandboxAgents.Runs.Progress;

namespace SandboxAgents.Tests.Runs.Progress;

public sealed class StreamJsonActivityTests
{
    /// <summary>An assistant event as the Claude Code CLI prints it with <c>--output-format stream-json --verbose</c>.</summary>
    internal static string ToolUse(string name, object input, string id = "toolu_01") => JsonSerializer.Serialize(new
    {
        type = "assistant",
        message = new { id = "msg_1", role = "assistant", content = new object[] { new { type = "tool_use", id, name, input } } },
        session_id = "s",
    });

    internal static string Text(string text) => JsonSerializer.Serialize(new
    {
        type = "assistant",
        message = new { content = new object[] { new { type = "text", text } } },
    });

    private static string? Read(string line) => StreamJsonActivity.Read(line)?.Text;

    public static TheoryData<string, object, string> Tools => new()
    {
        { "Bash", new { command = "npm test\nnpm run lint", description = "Run the tests" }, "Running `npm test`" },
        { "Bash", new { command = "echo `id`" }, "Running `echo 'id'`" },
        { "Bash", new { }, "Running a command" },
        { "Edit", new { file_path = "/workspace/repo/src/app.ts", old_string = "a", new_string = "b" }, "Editing src/app.ts" },
        { "MultiEdit", new { file_path = "/home/daytona/repo/lib/x.py" }, "Editing lib/x.py" },
        { "Write", new { file_path = "/workspace/repo/docs/a.md", content = "x" }, "Writing docs/a.md" },
        { "Write", new { file_path = "/etc/passwd" }, "Writing /etc/passwd" },
        { "Read", new { file_path = "/workspace/repo/README.md" }, "Reading README.md" },
        { "Grep", new { pattern = "TODO\\(", path = "src" }, "Searching for TODO\\(" },
        { "Glob", new { pattern = "**/*.cs" }, "Searching for **/*.cs" },
        { "WebFetch", new { url = "https://example.com/doc", prompt = "x" }, "Fetching https://example.com/doc" },
        { "WebSearch", new { query = "orleans timers" }, "Searching the web for orleans timers" },
        { "TodoWrite", new { todos = Array.Empty<object>() }, "Updating its plan" },
        { "Task", new { description = "explore" }, "Starting a sub-agent" },
        { "Agent", new { }, "Starting a sub-agent" },
        { "NotebookRead", new { }, "Using NotebookRead" },
    };

    [Theory]
    [MemberData(nameof(Tools))]
    public void ToolUse_ReadsAsWhatItDoes(string tool, object input, string expected)
    {
        var activity = StreamJsonActivity.Read(ToolUse(tool, input, id: "toolu_42"))!;

        Assert.Equal(expected, activity.Text);
        Assert.Equal(new ToolCall("toolu_42", tool, expected), Assert.Single(activity.ToolCalls));
    }

    [Fact]
    public void Events_InitTextResult_ReadAsLines_ToolResultsAsNothing()
    {
        Assert.Equal("Starting (model claude-sonnet-4-5)", Read("""{"type":"system","subtype":"init","cwd":"/workspace/repo","model":"claude-sonnet-4-5","tools":["Bash"]}"""));
        Assert.Equal("Starting", Read("""{"type":"system","subtype":"init"}"""));
        Assert.Null(Read("""{"type":"system","subtype":"compact_boundary"}"""));
        Assert.Equal("I will fix the typo.", Read(Text("\n\n  I will fix the typo.\nThen run the tests.")));
        Assert.Null(Read("""{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"ok"}]}}"""));
        Assert.Equal("Finished", Read("""{"type":"result","subtype":"success","is_error":false,"result":"done"}"""));
        Assert.Null(Read("""{"type":"assistant","message":{"content":[{"type":"thinking","thinking":"hmm"}]}}"""));
    }

    [Fact]
    public void AssistantMessage_WithSeveralBlocks_EveryToolCall_TheLastBlockAsText()
    {
        var line = """{"type":"assistant","message":{"content":[{"type":"text","text":"Two things."},{"type":"tool_use","id":"a","name":"Read","input":{"file_path":"x"}},{"type":"tool_use","id":"b","name":"Bash","input":{"command":"ls"}}]}}""";

        var activity = StreamJsonActivity.Read(line)!;

        Assert.Equal("Running `ls`", activity.Text);
        Assert.Equal(["a", "b"], activity.ToolCalls.Select(c => c.Id));
    }

    [Theory]
    [InlineData("npm WARN deprecated glob@7", "npm WARN deprecated glob@7")]
    [InlineData("  runner: cloning  ", "runner: cloning")]
    [InlineData("{ not json at all", "{ not json at all")]
    [InlineData("""{"no":"type"}""", """{"no":"type"}""")]
    [InlineData("bell\u0007 and \u001b[31mred\u001b[0m", "bell and [31mred[0m")]
    [InlineData("right\u202Eto-left\u200B", "rightto-left")]
    public void PlainLines_KeptAsText_Cleaned(string line, string expected) => Assert.Equal(expected, Read(line));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u0007\u200B")]
    public void BlankLines_AreNothing(string line) => Assert.Null(Read(line));

    public static TheoryData<string> Hostile => new()
    {
        """{"type":"assistant","message":{"content":[{"type":"tool_use","id":"x","name":"Bash","input":{"command":"rm -rf /""",
        """{"type":"assistant","message":"text"}""",
        """{"type":"assistant","message":{"content":{"type":"text"}}}""",
        """{"type":"assistant","message":{"content":[1,"two",null,[],{"type":7},{"type":"tool_use","name":5,"id":[]},{"type":"text","text":{"a":1}}]}}""",
        """{"type":"assistant","message":{"content":[{"type":"tool_use","id":"x","name":"Bash","input":"rm -rf /"}]}}""",
        """{"type":["assistant"]}""",
        """{"type":"system","subtype":"init","model":{"x":1}}""",
        "{\"type\":\"assistant\",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}",
        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"" + new string('a', 300_000) + "\"}]}}",
        "{\"type\":\"assistant\",\"message\":{\"content\":[" + string.Join(',', Enumerable.Repeat("""{"type":"tool_use","id":"i","name":"Bash","input":{}}""", 5_000)) + "]}}",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileLines_NeverThrow_AndStayShort(string line)
    {
        var activity = StreamJsonActivity.Read(line);

        Assert.True(activity is null || activity.Text.Length <= StreamJsonActivity.MaxTextLength + 1);
        Assert.True(activity is null || activity.ToolCalls.Count <= 64);
    }

    [Fact]
    public void AgentChosenFields_AreCleanedAndCapped()
    {
        var activity = StreamJsonActivity.Read(ToolUse("Evil\u0000Tool\u202E" + new string('T', 100), new { }, id: "id\nwith\u0007control"))!;
        var call = Assert.Single(activity.ToolCalls);

        Assert.Equal("id withcontrol", call.Id);
        Assert.StartsWith("EvilTool", call.Tool, StringComparison.Ordinal);
        Assert.True(call.Tool.Length <= 65);
        Assert.DoesNotContain(activity.Text, c => char.IsControl(c) || c == '\u202E');

        var longCommand = Read(ToolUse("Bash", new { command = "echo " + new string('y', 10_000) }))!;
        Assert.EndsWith("…`", longCommand, StringComparison.Ordinal);
        Assert.True(longCommand.Length < StreamJsonActivity.MaxTextLength);
    }

    [Fact]
    public void EventCutShort_IsNothing_NotRawJson()
    {
        var cut = ToolUse("Write", new { file_path = "/workspace/repo/big.txt", content = new string('x', 1000) })[..200];

        Assert.Null(Read(cut));
    }
}
