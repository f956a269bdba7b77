using SandboxAgents.Runner;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// Messages to a running agent: taken by the grain, put into the sandbox for the runner, which resumes the agent's
/// session with them; one that comes after the runner finished starts it again in its resume mode before publishing.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class SteeringTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private Task<IssueSnapshot> SnapshotAsync(IssueKey issue) => Grain(issue).GetSnapshotAsync();

    private static IssueCommand Comment(string? instructions, CommandKind kind = CommandKind.Run) =>
        new(kind, CommandSource.Comment, "maintainer", $"steering-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."),
            instructions, CommentId: 4000 + _delivery);

    private async Task<(IssueSnapshot Running, FakeSandbox Sandbox)> StartAsync(IssueKey issue)
    {
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Comment(null)));
        var running = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, running.State);
        return (running, fixture.Sandboxes.ForRun(running.RunId!)!);
    }

    [Fact]
    public async Task AnAgentCommentDuringTheRun_GoesIntoTheSandbox_AndIsDeliveredBeforePublishing()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartAsync(issue);

        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Comment("Also update CHANGELOG.md, please.")));

        var message = sandbox.ReadFile(RunnerFiles.MessageFile(0));
        Assert.NotNull(message);
        Assert.Contains("Also update CHANGELOG.md, please.", message);
        Assert.Contains("@maintainer", message);
        Assert.Contains("<<<USER-CONTENT", message);
        var taken = await SnapshotAsync(issue);
        Assert.Equal((RunState.Running, running.RunId, 1), (taken.State, taken.RunId, taken.History.Count));
        var steering = Assert.Single(taken.History[^1].Messages!);
        Assert.Equal(("maintainer", "Also update CHANGELOG.md, please.", (DateTimeOffset?)null), (steering.From, steering.Text, steering.DeliveredAt));
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("Message from @maintainer: taken", StringComparison.Ordinal));
        Assert.Contains(fixture.GitHub.Reactions, r => r.Issue == issue && r.CommentId == 4000 + _delivery);

        await fixture.FinishRunnerAsync(issue, sandbox, new RunnerResultFile(running.Branch!) { MessagesDelivered = 1 }.ToJson());

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.NotNull(done.History[^1].Messages![0].DeliveredAt);
        Assert.Single(sandbox.Commands);
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("Message from @maintainer: delivered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMessageAfterTheRunnerFinished_ResumesItInTheSameSandbox_BeforeThePullRequest()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartAsync(issue);
        // The runner's end is seen at once while the grain follows it: the message must come before the grain knows.
        // With the grain deactivated no follow is left; the message's activation finds the runner ended.
        await fixture.Cluster.DeactivateAsync(Grain(issue));
        sandbox.FinishRunner(new RunnerResultFile(running.Branch!).ToJson());

        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Comment("Use British spelling.")));

        var resumed = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, resumed.State);
        Assert.Contains(resumed.History[^1].Transitions, t => t.Note?.Contains("resuming the agent's session for 1 message", StringComparison.Ordinal) == true);
        Assert.Contains(sandbox.Commands.Values, c => c.Text == RunnerScript.ResumeCommand);
        Assert.Contains("Use British spelling.", sandbox.ReadFile(RunnerFiles.MessageFile(0)));
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);

        var resumeCommand = sandbox.Commands.Values.Single(c => c.Text == RunnerScript.ResumeCommand);
        sandbox.Files[RunnerFiles.Result] = System.Text.Encoding.UTF8.GetBytes(new RunnerResultFile(running.Branch!) { MessagesDelivered = 1 }.ToJson());
        var ticked = fixture.Ticks.NextAsync(issue);
        resumeCommand.ExitCode = 0;
        await ticked;

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue);
        Assert.NotNull(done.History[^1].Messages![0].DeliveredAt);
    }

    [Fact]
    public async Task AMessageWithNoActiveRun_IsRefused_AndAnAgentCommentThenStartsARun()
    {
        var issue = fixture.NextIssue();

        var answer = await Grain(issue).SubmitAsync(new IssueCommand(CommandKind.Message, CommandSource.Api, "operator", null, null, "More."));

        Assert.Equal(SubmitOutcome.NoActiveRun, answer.Outcome);
        var (running, _) = await StartAsync(issue);
        Assert.Single(running.History);
    }

    [Fact]
    public async Task AMessageFromTheApi_IsTakenByTheActiveRun()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartAsync(issue);

        var outcome = await fixture.SubmitAndTickAsync(issue, new IssueCommand(CommandKind.Message, CommandSource.Api, "operator", null, null, "Stop touching the tests."));

        Assert.Equal(SubmitOutcome.Accepted, outcome);
        Assert.Contains("Stop touching the tests.", sandbox.ReadFile(RunnerFiles.MessageFile(0)));
    }

    [Fact]
    public async Task InstructionsWithNothingRunning_StartNothing_AndTheSenderIsToldHow()
    {
        var issue = fixture.NextIssue();

        var outcome = await fixture.SubmitAndTickAsync(issue, Comment("Also add a CHANGELOG entry", CommandKind.Message));

        Assert.Equal(SubmitOutcome.Accepted, outcome);
        Assert.Equal(RunState.Idle, (await SnapshotAsync(issue)).State);
        Assert.DoesNotContain(fixture.Sandboxes.Calls, c => c.Issue == issue.ToString());
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("no run is active here", StringComparison.Ordinal) && c.Body.Contains("/agent run <instructions>", StringComparison.Ordinal));
    }
}
