using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Runs.Progress;

namespace SandboxAgents.Tests.Grains;

/// <summary>The runner's stream-json output, as the grain turns it into readable lines, a timeline of tool calls and the comment's "Now:".</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AgentProgressTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private async Task<(IssueKey Issue, FakeCommand Runner)> StartRunAsync()
    {
        var issue = fixture.NextIssue();
        var command = new IssueCommand(CommandKind.Run, CommandSource.Label, "maintainer", $"progress-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."));
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, command));
        var running = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);
        return (issue, Assert.Single(fixture.Sandboxes.ForRun(running.RunId!)!.Commands.Values));
    }

    [Fact]
    public async Task StreamJsonTail_BecomesReadableLines_AndEachToolCallOneStep()
    {
        var (issue, runner) = await StartRunAsync();
        var firstSeen = fixture.Clock.GetUtcNow() + GrainClusterFixture.PollInterval;

        runner.Output.AddRange([
            "runner: cloned the repository",
            """{"type":"system","subtype":"init","model":"claude-sonnet-4-5","cwd":"/workspace/repo"}""",
            StreamJsonActivityTests.ToolUse("Bash", new { command = "npm test" }, id: "toolu_1"),
            """{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}}""",
        ]);
        await fixture.PollAsync(issue);

        var run = (await Grain(issue).GetSnapshotAsync()).History[^1];
        Assert.Equal(["runner: cloned the repository", "Starting (model claude-sonnet-4-5)", "Running `npm test`"], (await Grain(issue).GetSnapshotAsync()).LogTail);
        Assert.Equal([new AgentStep(firstSeen, "Bash", "Running `npm test`", "toolu_1")], run.Steps);

        // The same call is still in the tail a tick later: one step; a new call is a second one, stamped when seen.
        runner.Output.Add(StreamJsonActivityTests.ToolUse("Edit", new { file_path = "/workspace/repo/src/app.ts" }, id: "toolu_2"));
        await fixture.PollAsync(issue);

        var steps = (await Grain(issue).GetSnapshotAsync()).History[^1].Steps!;
        Assert.Equal(["toolu_1", "toolu_2"], steps.Select(s => s.CallId));
        Assert.Equal(("Edit", "Editing src/app.ts", firstSeen + GrainClusterFixture.PollInterval), (steps[1].Tool, steps[1].Text, steps[1].At));
        Assert.Equal("Editing src/app.ts", (await Grain(issue).GetSnapshotAsync()).LogTail[^1]);
    }

    [Fact]
    public async Task SecretsInTheStream_AreRedactedInLinesAndSteps()
    {
        var (issue, runner) = await StartRunAsync();

        runner.Output.Add(StreamJsonActivityTests.ToolUse("Bash", new { command = "curl -H 'Authorization: token ghp_GrainTestsNeverSendThis0123456789ab' x" }, id: "toolu_s"));
        await fixture.PollAsync(issue);

        var snapshot = await Grain(issue).GetSnapshotAsync();
        Assert.Equal("Running `curl -H 'Authorization: token [redacted]' x`", snapshot.LogTail[^1]);
        Assert.Equal("Running `curl -H 'Authorization: token [redacted]' x`", Assert.Single(snapshot.History[^1].Steps!).Text);
    }

    [Fact]
    public async Task Steps_AreCapped_OldestDropped()
    {
        var (issue, runner) = await StartRunAsync();

        runner.Output.AddRange(Enumerable.Range(0, 230).Select(i => StreamJsonActivityTests.ToolUse("Read", new { file_path = $"f{i}" }, id: $"call-{i}")));
        await fixture.PollAsync(issue);

        var steps = (await Grain(issue).GetSnapshotAsync()).History[^1].Steps!;
        Assert.Equal(SandboxAgents.Runs.Progress.AgentSteps.MaxSteps, steps.Count);
        Assert.Equal("call-30", steps[0].CallId);
        Assert.Equal("call-229", steps[^1].CallId);
    }

    [Fact]
    public async Task CommentNow_ShowsTheLatestActivity_NotTheToolResult()
    {
        var (issue, runner) = await StartRunAsync();
        var comment = Assert.Single(fixture.GitHub.CommentsOn(issue));

        runner.Output.AddRange([
            StreamJsonActivityTests.ToolUse("Bash", new { command = "npm test" }, id: "toolu_n"),
            """{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"toolu_n","content":"ok"}]}}""",
        ]);
        await fixture.PollAsync(issue);
        Assert.DoesNotContain("Now:", comment.Body, StringComparison.Ordinal);

        // As in SandboxGrainTests: the refresh interval ends on the watchdog's beat, whose tick edits the comment.
        var refreshInterval = new RunOptions().CommentRefreshInterval;
        await fixture.AdvanceAsync(issue, refreshInterval - GrainClusterFixture.PollInterval - TimeSpan.FromSeconds(1));
        await fixture.AdvanceAsync(issue, TimeSpan.FromSeconds(1));

        Assert.Contains("Now: `Running 'npm test'`", comment.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("tool_result", comment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunnerExited_TranscriptKept_EveryLineRedacted()
    {
        var (issue, _) = await StartRunAsync();
        var snapshot = await Grain(issue).GetSnapshotAsync();
        var sandbox = fixture.Sandboxes.ForRun(snapshot.RunId!)!;
        // A classic token's shape, made up here so that none is kept in the repository.
        var found = "ghp_" + System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 36);
        sandbox.Files[SandboxAgents.Runner.RunnerFiles.AgentOutput] = System.Text.Encoding.UTF8.GetBytes(
            """{"type":"system","subtype":"init"}""" + "\n" + "{\"type\":\"assistant\",\"text\":\"token " + found + "\"}" + "\n");

        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.NoChanges(snapshot.Branch!));

        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.NoChanges, done.State);
        Assert.True(done.History[^1].TranscriptKept);
        var kept = System.Text.Encoding.UTF8.GetString(fixture.Transcripts.Saved[TranscriptNames.For(issue, done.RunId!)]);
        Assert.Equal("""{"type":"system","subtype":"init"}""" + "\n" + """{"type":"assistant","text":"token [redacted]"}""" + "\n", kept);
    }

    [Fact]
    public async Task RunnerLeftNoOutput_NoTranscript_RunEndsAsUsual()
    {
        var (issue, _) = await StartRunAsync();
        var snapshot = await Grain(issue).GetSnapshotAsync();

        await fixture.FinishRunnerAsync(issue, fixture.Sandboxes.ForRun(snapshot.RunId!)!, RunnerResults.NoChanges(snapshot.Branch!));

        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.NoChanges, done.State);
        Assert.False(done.History[^1].TranscriptKept);
    }
}
