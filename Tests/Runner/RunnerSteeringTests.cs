using SandboxAgents.Runner;

namespace SandboxAgents.Tests.Runner;

/// <summary>
/// Steering messages with the real run.sh: each message the service writes to <c>.agent-run/messages</c> is given to
/// the agent once its invocation ends, resuming the session the invocation before reported, before the runner
/// commits; and a resume pass delivers a message that came after the runner had finished. The agent is a bash
/// snippet that records each invocation and reports session <c>sess-N</c> for its Nth.
/// </summary>
public sealed class RunnerSteeringTests : IDisposable
{
    private readonly RunnerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Invocations => Path.Combine(_sandbox.Root, "invocations");

    /// <summary>
    /// Records "task file|resumed session|text" for each invocation, writes the text it was given to
    /// <c>answer-N.txt</c>, runs <paramref name="then"/>, and prints a result object naming session
    /// <paramref name="session"/> (N in it replaced by the invocation's number).
    /// </summary>
    private string Agent(string then = "", string session = "sess-N") => $$"""
        printf '%s|%s|%s\n' "$AGENT_TASK_FILE" "$AGENT_RESUME_SESSION" "$(head -n 1 "$AGENT_TASK_FILE")" >> '{{Invocations}}'
        n=$(wc -l < '{{Invocations}}')
        cat "$AGENT_TASK_FILE" > "answer-$n.txt"
        {{then}}
        session='{{session}}'
        echo "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"num_turns\":$n,\"result\":\"invocation $n\",\"session_id\":\"${session//N/$n}\"}"
        """;

    private string[] InvocationLines() => File.ReadAllLines(Invocations);

    private string Message(int index) => _sandbox.SandboxFile(RunnerFiles.MessageFile(index));

    private string TaskFile => _sandbox.SandboxFile(RunnerFiles.Task);

    [Fact]
    public async Task Message_PresentBeforeTheAgentEnds_IsDeliveredOnceResumingTheFirstSession_AndItsWorkCommitted()
    {
        _sandbox.WriteMessage(0, "Also write a changelog.");

        var run = await _sandbox.RunAsync(Agent());

        Assert.Equal(".agent-run/messages/01", RunnerFiles.MessageFile(0));
        Assert.Equal([$"{TaskFile}||{RunnerSandbox.Task}", $"{Message(0)}|sess-1|Also write a changelog."], InvocationLines());
        var result = run.Result;
        Assert.Equal((RunnerOutcomes.Committed, 1, 1, "sess-2", "invocation 2"),
            (result.Outcome, result.Commits, result.MessagesDelivered, result.SessionId, result.AgentResult?.Result));
        Assert.Equal(RunnerSandbox.Task, _sandbox.ShowFromChanges("answer-1.txt"));
        Assert.Equal("Also write a changelog.", _sandbox.ShowFromChanges("answer-2.txt"));
        Assert.Equal("sess-2\n", await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.Session)));
        Assert.Contains("runner: delivering message 01 to the agent (resuming session sess-1)", run.Output);
        Assert.Contains("\"messagesDelivered\":1,\"sessionId\":\"sess-2\"}", run.ResultJson);
    }

    [Fact]
    public async Task Messages_TheSecondWrittenDuringTheFirstDelivery_BothAreDeliveredInOrder()
    {
        _sandbox.WriteMessage(0, "First steer.");
        var writeTheSecond = $"if ((n == 2)); then printf 'Second steer.' > '{Message(1)}.upload' && mv '{Message(1)}.upload' '{Message(1)}'; fi";

        var run = await _sandbox.RunAsync(Agent(writeTheSecond));

        Assert.Equal(
            [$"{TaskFile}||{RunnerSandbox.Task}", $"{Message(0)}|sess-1|First steer.", $"{Message(1)}|sess-2|Second steer."],
            InvocationLines());
        Assert.Equal((RunnerOutcomes.Committed, 2, "sess-3", 3), (run.Result.Outcome, run.Result.MessagesDelivered, run.Result.SessionId, run.Result.AgentResult?.NumTurns));
        Assert.Equal("Second steer.", _sandbox.ShowFromChanges("answer-3.txt"));
    }

    [Fact]
    public async Task Messages_NumberedPastEight_AreDeliveredInNumericOrderOnce()
    {
        Directory.CreateDirectory(_sandbox.SandboxFile(RunnerFiles.Messages));
        foreach (var name in (string[])["10", "9", "08", "notes.txt", ".upload-1234"])
            await File.WriteAllTextAsync(Path.Combine(_sandbox.SandboxFile(RunnerFiles.Messages), name), $"message {name}");

        var run = await _sandbox.RunAsync(Agent());

        Assert.Equal([RunnerSandbox.Task, "message 08", "message 9", "message 10"], InvocationLines().Select(line => line.Split('|')[2]));
        Assert.Equal(10, run.Result.MessagesDelivered);
    }

    [Fact]
    public async Task Message_TheSessionIdHasOtherCharacters_IsDeliveredToANewSession()
    {
        _sandbox.WriteMessage(0, "Steer.");

        var run = await _sandbox.RunAsync(Agent(session: "sess-N; touch ../pwned"));

        Assert.Equal([$"{TaskFile}||{RunnerSandbox.Task}", $"{Message(0)}||Steer."], InvocationLines());
        Assert.Equal((1, (string?)null), (run.Result.MessagesDelivered, run.Result.SessionId));
        Assert.Contains("\"sessionId\":null}", run.ResultJson);
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.Session)));
        Assert.Contains("runner: the agent's session id is not usable: a message goes to a new session", run.Output);
    }

    [Fact]
    public async Task Stop_RequestedDuringTheFirstInvocation_NoMessageIsDelivered()
    {
        _sandbox.WriteMessage(0, "Steer.");

        var run = await _sandbox.RunAsync(Agent("""
            trap 'echo "agent: asked to stop"; exit 143' TERM
            touch ../.agent-run/stop
            while :; do sleep 0.1; done
            """));

        Assert.Single(InvocationLines());
        Assert.Equal((RunnerOutcomes.Committed, 0, true, 143), (run.Result.Outcome, run.Result.MessagesDelivered, run.Result.StoppedEarly, run.Result.AgentExitCode));
        Assert.Equal(RunnerSandbox.Task, _sandbox.ShowFromChanges("answer-1.txt"));
    }

    [Fact]
    public async Task Stop_RequestedDuringADelivery_EndsItAsTheFirstAndDeliversNoMore()
    {
        _sandbox.WriteMessage(0, "First steer.");
        _sandbox.WriteMessage(1, "Second steer.");

        var run = await _sandbox.RunAsync(Agent("""
            if ((n == 2)); then
              trap 'echo "agent: asked to stop"; echo wrapped-up >> answer-2.txt; exit 143' TERM
              touch ../.agent-run/stop
              while :; do sleep 0.1; done
            fi
            """));

        Assert.Equal(2, InvocationLines().Length);
        var result = run.Result;
        Assert.Equal((RunnerOutcomes.Committed, 1, true, 143, (AgentResult?)null),
            (result.Outcome, result.MessagesDelivered, result.StoppedEarly, result.AgentExitCode, result.AgentResult));
        Assert.Equal("sess-1", result.SessionId);
        Assert.Equal("First steer.wrapped-up\n", _sandbox.ShowFromChanges("answer-2.txt"));
        Assert.Contains("runner: the service asked the run to stop: no more messages are delivered", run.Output);
    }

    [Fact]
    public async Task Resume_AMessageAfterTheRunFinished_IsDeliveredAndBothPassesArePackedAgain()
    {
        var counter = Path.Combine(_sandbox.Root, "counted");
        await _sandbox.WriteCommandsAsync([$"echo setup >> '{counter}'"], [$"echo validate >> '{counter}'"]);
        var first = await _sandbox.RunAsync(Agent());
        Assert.Equal((RunnerOutcomes.Committed, 1, 0, "sess-1"), (first.Result.Outcome, first.Result.Commits, first.Result.MessagesDelivered, first.Result.SessionId));
        _sandbox.WriteMessage(0, "A late steer.");

        var resumed = await _sandbox.ResumeAsync(Agent());

        Assert.Equal([$"{TaskFile}||{RunnerSandbox.Task}", $"{Message(0)}|sess-1|A late steer."], InvocationLines());
        var result = resumed.Result;
        Assert.Equal((RunnerOutcomes.Committed, 2, 1, "sess-2", "invocation 2", (string?)null),
            (result.Outcome, result.Commits, result.MessagesDelivered, result.SessionId, result.AgentResult?.Result, result.Error));
        Assert.NotEqual(first.Result.Commit, result.Commit);
        Assert.Equal(result.Commit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch));
        Assert.Equal(first.Result.Commit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch + "~1"));
        Assert.Equal(RunnerSandbox.Task, _sandbox.ShowFromChanges("answer-1.txt"));
        Assert.Equal("A late steer.", _sandbox.ShowFromChanges("answer-2.txt"));
        Assert.Equal(first.Result.Setup, result.Setup);
        Assert.Equal(["setup", "validate", "validate"], await File.ReadAllLinesAsync(counter));
        Assert.Equal(0, Assert.Single(result.Validation!).ExitCode);
        Assert.Equal(resumed.ResultJson, await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.Result)));
        Assert.Contains("invocation 1", await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.AgentOutput)));
    }

    [Fact]
    public async Task Resume_NothingUndelivered_ReportsTheSameAgainWithoutTheAgent()
    {
        _sandbox.WriteMessage(0, "Steer.");
        var first = await _sandbox.RunAsync(Agent());

        var again = await _sandbox.ResumeAsync(Agent());

        Assert.Equal(2, InvocationLines().Length);
        Assert.Equal(first.ResultJson, again.ResultJson);
        Assert.Equal(first.Result.Commit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch));
    }

    [Fact]
    public async Task Resume_TheCheckoutIsGone_ReportsTheErrorAndKeepsWhatWasDelivered()
    {
        _sandbox.WriteMessage(0, "Steer.");
        await _sandbox.RunAsync(Agent());
        Directory.Delete(_sandbox.SandboxFile(RunnerFiles.Checkout), recursive: true);
        _sandbox.WriteMessage(1, "Another steer.");

        var resumed = await _sandbox.ResumeAsync(Agent());

        Assert.Equal((RunnerOutcomes.Error, $"resume: {_sandbox.SandboxFile(RunnerFiles.Checkout)} is missing", 1, "sess-2"),
            (resumed.Result.Outcome, resumed.Result.Error, resumed.Result.MessagesDelivered, resumed.Result.SessionId));
        Assert.Equal(2, InvocationLines().Length);
    }
}
