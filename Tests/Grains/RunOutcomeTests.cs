using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using SandboxAgents.GitHub;
using SandboxAgents.Runner;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// How a run's end is published: the runner's setup and validate reports as evidence, the limits a run can stop at
/// with its work kept as an incomplete draft, and the wrap-up at the deadline.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class RunOutcomeTests(GrainClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    /// <summary>The runner's time to commit after the grace (RunDriver's margin).</summary>
    private static readonly TimeSpan CommitMargin = TimeSpan.FromMinutes(1);

    /// <summary>What a repository's configuration would have made of the service's settings: not drafts, limits of its own.</summary>
    private static RunSettings Settings(TimeSpan? grace = null) => new(
        "claude -p", Timeout, DraftPullRequest: false, MaxStepFailures: 5, LogTailLines: 20,
        MaxTurns: 30, MaxBudgetUsd: 2.5m, Validate: ["npm test"], WrapUpGrace: grace ?? Grace);

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private Task<IssueSnapshot> SnapshotAsync(IssueKey issue) => Grain(issue).GetSnapshotAsync();

    private string Comment(IssueKey issue) => Assert.Single(fixture.GitHub.CommentsOn(issue)).Body;

    private NewPullRequestSpec PullRequest(IssueKey issue) => Assert.Single(fixture.GitHub.PullRequests, p => p.Issue == issue).Spec;

    /// <summary>A run queued with these settings, as the grain finds it after a restart: its activation takes it to Running.</summary>
    private async Task<(string Branch, FakeSandbox Sandbox)> StartAsync(IssueKey issue, RunSettings settings)
    {
        var runId = Guid.NewGuid().ToString("N")[..16];
        var queued = new RunRecord
        {
            RunId = runId,
            State = RunState.Queued,
            RequestedBy = "maintainer",
            Issue = new IssueText("Fix the typo", "README says 'teh'."),
            Branch = $"agent/issue-{issue.Number}-{runId[..8]}",
            SandboxName = $"sa-octo-widgets-{issue.Number}-{runId[..8]}",
            Transitions = [new StateChange(RunState.Queued, fixture.Clock.GetUtcNow(), "Run by @maintainer")],
            Version = 1,
            StoredSettings = settings,
        };
        var serializer = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        fixture.Storage.Seed(StorageNames.IssueState, Grain(issue).GetGrainId(), serializer.Serialize(new IssueState { Runs = [queued] }).ToArray());

        var tick = fixture.Ticks.NextAsync(issue);
        await SnapshotAsync(issue);
        await tick;
        Assert.Equal(RunState.Running, (await SnapshotAsync(issue)).State);
        return (queued.Branch, fixture.Sandboxes.ForRun(runId)!);
    }

    private async Task<IssueSnapshot> FinishAsync(IssueKey issue, FakeSandbox sandbox, RunnerResultFile result)
    {
        await fixture.FinishRunnerAsync(issue, sandbox, result.ToJson());
        return await SnapshotAsync(issue);
    }

    [Fact]
    public async Task ValidationPasses_Succeeds_PullRequestAsConfigured_ChecksShownEverywhere()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch)
        {
            Setup = RunnerResultFile.Passed("npm ci"), Validation = [RunnerResultFile.Passed("npm test"), RunnerResultFile.Passed("npm run lint")],
        });

        Assert.Equal(RunState.Succeeded, done.State);
        var run = done.History[^1];
        Assert.True(run.Verified);
        Assert.Equal([(CheckPhases.Setup, "npm ci"), (CheckPhases.Validate, "npm test"), (CheckPhases.Validate, "npm run lint")],
            run.Checks!.Select(c => (c.Phase, c.Command)));
        Assert.Equal(TimeSpan.FromMilliseconds(1_200), run.Checks![0].Duration);
        var pullRequest = PullRequest(issue);
        Assert.False(pullRequest.Draft);
        Assert.DoesNotContain("Unverified", pullRequest.Title + pullRequest.Body);
        foreach (var text in new[] { pullRequest.Body, Comment(issue) })
        {
            Assert.Contains("- ✅ setup <code>npm ci</code> (1.2s)", text);
            Assert.Contains("- ✅ validate <code>npm test</code> (1.2s)", text);
            Assert.Contains("- ✅ validate <code>npm run lint</code> (1.2s)", text);
            Assert.DoesNotContain("Not validated", text);
        }

        Assert.Contains("Done: a pull request is ready for review", Comment(issue));
    }

    [Fact]
    public async Task ValidationFails_SucceedsWithADraftMarkedUnverified_ShowingTheFailingOutput()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch)
        {
            Validation = [RunnerResultFile.Failing("npm test", "FAIL src/app.test.ts\n  expected 2, got 3 <b>@someone</b>"), RunnerResultFile.Passed("npm run lint")],
        });

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.False(done.History[^1].Verified);
        var pullRequest = PullRequest(issue);
        Assert.True(pullRequest.Draft);
        Assert.StartsWith("[Unverified] ", pullRequest.Title);
        Assert.StartsWith($"Closes #{issue.Number}", pullRequest.Body);
        foreach (var text in new[] { pullRequest.Body, Comment(issue) })
        {
            Assert.Contains("⚠️ **Unverified**: <code>npm test</code> failed (exit code 1), so the pull request is a draft.", text);
            Assert.Contains("- ❌ validate <code>npm test</code> (3.4s, exit code 1)", text);
            Assert.Contains("<pre>\nFAIL src/app.test.ts\n  expected 2, got 3 &lt;b&gt;@&#8203;someone&lt;/b&gt;\n</pre>", text);
        }

        Assert.Contains("Done, but unverified", Comment(issue));
    }

    [Fact]
    public async Task NoValidationConfigured_SaysNotValidated()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings() with { Validate = null });

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch));

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Null(done.History[^1].Verified);
        Assert.Empty(done.History[^1].Checks!);
        Assert.False(PullRequest(issue).Draft);
        Assert.Contains(EvidenceText.NotValidated, PullRequest(issue).Body);
        Assert.Contains(EvidenceText.NotValidated, Comment(issue));
        Assert.DoesNotContain("**Checks**", Comment(issue));
    }

    [Theory]
    [InlineData("error_max_turns", "Reached maximum number of turns (30)", "the agent reached its turn limit (30)")]
    [InlineData("error_max_budget_usd", "Reached maximum budget ($2.5)", "the agent reached its budget limit ($2.50)")]
    public async Task LimitReachedWithCommits_OpensADraftMarkedIncomplete_StaysFailed(string subtype, string said, string limit)
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch)
        {
            Subtype = subtype, Errors = [said], Validation = [RunnerResultFile.Passed("npm test")],
        });

        Assert.Equal(RunState.Failed, done.State);
        var run = done.History[^1];
        Assert.Equal(limit, run.IncompleteBecause);
        Assert.Equal($"The agent reported an error: {said} ({subtype}, exit code 1).", run.Error);
        Assert.True(sandbox.Deleted);
        Assert.Single(fixture.Mirror.Published, p => p.Issue == issue);
        var pullRequest = PullRequest(issue);
        Assert.True(pullRequest.Draft);
        Assert.StartsWith("[Incomplete] ", pullRequest.Title);
        Assert.DoesNotContain("Closes", pullRequest.Body);
        Assert.StartsWith($"Part of #{issue.Number}", pullRequest.Body);
        Assert.Contains($"⚠️ **Incomplete**: {limit}.", pullRequest.Body);
        var comment = Comment(issue);
        Assert.Contains("Failed: the incomplete work is in a draft pull request", comment);
        Assert.Contains($"Pull request: {run.PullRequestUrl}", comment);
        Assert.Contains($"⚠️ **Incomplete**: {limit}. The draft pull request holds the agent's work so far.", comment);
        Assert.Contains(said.Replace("$", "&#36;", StringComparison.Ordinal), comment);
        Assert.Contains($"pushed to the branch [`{branch}`]", comment);
    }

    [Fact]
    public async Task LimitReachedWithoutCommits_FailsWithoutAPullRequest()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch)
        {
            Outcome = RunnerOutcomes.NoChanges, Subtype = "error_max_turns", Errors = ["Reached maximum number of turns (30)"],
        });

        Assert.Equal(RunState.Failed, done.State);
        Assert.Null(done.History[^1].IncompleteBecause);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        Assert.DoesNotContain("pushed to the branch", Comment(issue));
    }

    [Fact]
    public async Task LimitReached_PullRequestCannotBeOpened_TheCommentLinksThePushedBranch()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());
        fixture.GitHub.FailNext(issue, GitHubCall.CreatePullRequest, 5, FakeGitHubIssues.Outage());

        // The publishing tick pushes the branch and fails to open the pull request; four more tries fail the run.
        await FinishAsync(issue, sandbox, new RunnerResultFile(branch) { Subtype = "error_max_turns", Errors = ["Reached maximum number of turns (30)"] });
        for (var attempt = 2; attempt <= 5; attempt++) await fixture.PollAsync(issue);

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Failed, done.State);
        Assert.Null(done.PullRequestUrl);
        Assert.Single(fixture.Mirror.Published, p => p.Issue == issue);
        var url = $"https://github.com/octo/widgets/tree/agent/issue-{issue.Number}-{branch[^8..]}";
        Assert.Contains($"The agent's work was pushed to the branch [`{branch}`]({url}), but no pull request could be opened for it.", Comment(issue));
    }

    [Fact]
    public async Task SetupFails_FailedWithItsLastLines_NoPullRequest()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());
        var output = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\nnpm ERR! 404 Not Found: left-pad@9";

        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch)
        {
            Outcome = RunnerOutcomes.Error, Error = "setup: npm ci exited 1", HasAgentResult = false,
            Setup = RunnerResultFile.Failing("npm ci", output, exitCode: 1),
        });

        Assert.Equal(RunState.Failed, done.State);
        var run = done.History[^1];
        Assert.StartsWith("The setup command `npm ci` failed with exit code 1. Its last lines:\n```\nline 22\n", run.Error);
        Assert.EndsWith("npm ERR! 404 Not Found: left-pad@9\n```", run.Error);
        Assert.DoesNotContain("line 21\n", run.Error);
        var check = Assert.Single(run.Checks!);
        Assert.Equal((CheckPhases.Setup, 1), (check.Phase, check.ExitCode));
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
        Assert.DoesNotContain(fixture.Mirror.Published, p => p.Issue == issue);
        var comment = Comment(issue);
        Assert.Contains("- ❌ setup <code>npm ci</code> (3.4s, exit code 1)", comment);
        Assert.Contains("npm ERR! 404 Not Found: left-pad@&#8203;9", comment); // its words, defused
        Assert.DoesNotContain("Not validated", comment);
    }

    [Fact]
    public async Task Deadline_AsksTheAgentToStopOnce_RunnerExitsWithinTheGrace_TimedOutWithADraftMarkedIncomplete()
    {
        var issue = fixture.NextIssue();
        var (branch, sandbox) = await StartAsync(issue, Settings());
        var deadline = fixture.Clock.GetUtcNow() + Timeout;

        // A poll before the deadline asks nothing.
        await fixture.PollAsync(issue);
        Assert.Null(sandbox.ReadFile(RunnerFiles.StopRequest));

        // The jump to the deadline wakes the poll timer and the watchdog: the first asks the agent to stop.
        await fixture.AdvanceAsync(issue, deadline - fixture.Clock.GetUtcNow(), ticks: 2);
        Assert.Equal("", sandbox.ReadFile(RunnerFiles.StopRequest));
        var stopping = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, stopping.State);
        Assert.Contains("the agent is asked to wrap up", Comment(issue));

        // Asked once: the next poll does not upload it again.
        sandbox.Files.TryRemove(RunnerFiles.StopRequest, out _);
        await fixture.PollAsync(issue);
        Assert.Null(sandbox.ReadFile(RunnerFiles.StopRequest));
        Assert.Equal(RunState.Running, (await SnapshotAsync(issue)).State);

        // The runner ends the agent (no result object: it was signalled) and commits what exists.
        var done = await FinishAsync(issue, sandbox, new RunnerResultFile(branch) { HasAgentResult = false, AgentExitCode = 143, StoppedEarly = true });

        Assert.Equal(RunState.TimedOut, done.State);
        var run = done.History[^1];
        Assert.Equal($"the run reached its time limit ({Timeout})", run.IncompleteBecause);
        Assert.Equal($"Stopped at the time limit of {Timeout}.", run.Error);
        Assert.True(sandbox.Deleted);
        var pullRequest = PullRequest(issue);
        Assert.True(pullRequest.Draft);
        Assert.StartsWith("[Incomplete] ", pullRequest.Title);
        var comment = Comment(issue);
        Assert.Contains("Timed out: the incomplete work is in a draft pull request", comment);
        Assert.Contains($"Pull request: {run.PullRequestUrl}", comment);
    }

    [Fact]
    public async Task Deadline_RunnerNeverExits_TimedOutOnceTheGraceIsOver_SandboxDeleted()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartAsync(issue, Settings());
        var deadline = fixture.Clock.GetUtcNow() + Timeout;

        await fixture.AdvanceAsync(issue, Timeout, ticks: 2);
        Assert.Equal(RunState.Running, (await SnapshotAsync(issue)).State);
        Assert.NotNull(sandbox.ReadFile(RunnerFiles.StopRequest));

        // The run ends at the first tick at or after the grace and the runner's time to commit.
        await fixture.AdvanceAsync(issue, Grace + CommitMargin);

        var timedOut = await SnapshotAsync(issue);
        Assert.Equal(RunState.TimedOut, timedOut.State);
        Assert.Equal(deadline + Grace + CommitMargin, timedOut.History[^1].Transitions[^1].At);
        Assert.Equal($"Stopped at the time limit of {Timeout}: the agent had not finished {Grace} after it was asked to wrap up.", timedOut.Error);
        Assert.True(timedOut.History[^1].SandboxDeleted);
        Assert.True(sandbox.Deleted);
        Assert.DoesNotContain(fixture.GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task RunStoredWithoutAGrace_TimesOutAtTheDeadline_WithoutAskingTheAgentToStop()
    {
        var issue = fixture.NextIssue();
        var (_, sandbox) = await StartAsync(issue, Settings(grace: TimeSpan.Zero));
        var deadline = fixture.Clock.GetUtcNow() + Timeout;

        await fixture.AdvanceAsync(issue, Timeout);

        var timedOut = await SnapshotAsync(issue);
        Assert.Equal(RunState.TimedOut, timedOut.State);
        Assert.Equal(deadline, timedOut.History[^1].Transitions[^1].At);
        Assert.Equal($"Stopped at the time limit of {Timeout}.", timedOut.Error);
        Assert.Null(sandbox.ReadFile(RunnerFiles.StopRequest));
    }
}
