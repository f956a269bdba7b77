using System.Text.Json.Nodes;
using SandboxAgents.Runner;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes.Messages;
using SandboxAgents.Tests.Runner;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>
/// The real Claude Code CLI, run by the real run.sh with the service's default agent command, given a steering
/// message: the runner resumes the CLI's session, so the model sees the first conversation and then the message.
/// </summary>
public sealed class ClaudeCliSteeringTests : IAsyncLifetime
{
    private const string Tag = "[cli-steer]";
    private const string Steer = "The maintainer adds: also write STEER.md.";
    private readonly RunnerSandbox _sandbox = new();
    private ScriptedMessagesApi _messages = null!;

    public async Task InitializeAsync() => _messages = await ScriptedMessagesApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _messages.DisposeAsync();
        _sandbox.Dispose();
    }

    [ClaudeCliFact]
    public async Task Message_WhileTheCliWorks_TheResumedSessionCarriesTheFirstConversationAndTheMessage()
    {
        var script = _messages.Play(Tag, ModelScript.Of(
            ModelTurn.Write("NOTES.md", "notes\n"),
            ModelTurn.Say("Wrote NOTES.md."),
            ModelTurn.Write("STEER.md", "steered\n"),
            ModelTurn.Say("Wrote STEER.md as well.")));
        await File.WriteAllTextAsync(_sandbox.SandboxFile(RunnerFiles.Task), $"Write NOTES.md {Tag}");
        _sandbox.WriteMessage(0, Steer);

        var run = await _sandbox.RunAsync(AgentOptions.DefaultCommand,
            ("ANTHROPIC_BASE_URL", _messages.BaseUrl.ToString().TrimEnd('/')),
            ("ANTHROPIC_API_KEY", "sk-ant-scripted"),
            ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
            (RunnerEnvironment.AgentModel, ClaudeCliServiceFixture.AgentModel),
            (RunnerEnvironment.AgentMaxTurns, "5"));

        var result = run.Result;
        Assert.True((result.Outcome, result.MessagesDelivered, result.AgentExitCode) == (RunnerOutcomes.Committed, 1, 0), run.Output);
        Assert.Equal(("Wrote STEER.md as well.", false), (result.AgentResult?.Result, result.AgentResult?.IsError));
        Assert.False(string.IsNullOrEmpty(result.SessionId));
        Assert.Contains($"runner: delivering message 01 to the agent (resuming session {result.SessionId})", run.Output); // --resume keeps the id
        Assert.Equal("notes\n", _sandbox.ShowFromChanges("NOTES.md"));
        Assert.Equal("steered\n", _sandbox.ShowFromChanges("STEER.md"));

        Assert.Equal(4, script.Requests);
        var conversations = script.Conversations.ToArray();
        Assert.DoesNotContain(Steer, conversations[1].ToJsonString());
        var resumed = conversations[2];
        Assert.Contains(Tag, Text(resumed[0]!));
        Assert.Contains(resumed, m => m!["role"]!.GetValue<string>() == "assistant" && Text(m).Contains("Wrote NOTES.md.", StringComparison.Ordinal));
        Assert.Contains(Steer, Text(resumed[^1]!));
        Assert.Equal("user", resumed[^1]!["role"]!.GetValue<string>());
    }

    /// <summary>A message's content as JSON text: a plain string, or its blocks (text, tool use, tool result) whole.</summary>
    private static string Text(JsonNode message) => message["content"]!.ToJsonString();
}
