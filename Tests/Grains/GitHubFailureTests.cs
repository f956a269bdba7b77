using SandboxAgents.GitHub;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// What an issue's grain does when GitHub itself fails: rate limits obeyed as told (also across deactivation), a
/// publish that meets one kept in <c>Publishing</c>, status comments retried until final or flagged, permission
/// lookups retried and then the sender told.
/// </summary>
[Collection(GrainClusterCollection.Name)]
public sealed class GitHubFailureTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private static IssueCommand Command(string actor, CommandSource source = CommandSource.Label, long? commentId = null) =>
        new(CommandKind.Run, source, actor, $"failure-delivery-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."), CommentId: commentId);

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private FakeGitHubIssues GitHub => fixture.GitHub;

    private Task<IssueSnapshot> SnapshotAsync(IssueKey issue) => Grain(issue).GetSnapshotAsync();

    /// <summary>Starts a run in one tick; its watchdog beats every minute from now.</summary>
    private async Task<(IssueSnapshot Running, FakeSandbox Sandbox)> StartRunAsync(IssueKey issue)
    {
        Assert.Equal(SubmitOutcome.Accepted, await fixture.SubmitAndTickAsync(issue, Command("maintainer")));
        var running = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, running.State);
        Assert.Contains(GitHub.CommentsOn(issue), c => c.Body.Contains("working on this issue", StringComparison.Ordinal));
        return (running, fixture.Sandboxes.Find(running.SandboxId!)!);
    }

    /// <summary>
    /// Longer than any wait of a failing comment edit: 5 min at most, plus up to a quarter of jitter. Every advance by
    /// it makes exactly one more try.
    /// </summary>
    private static readonly TimeSpan PastTheLongestCommentBackoff = TimeSpan.FromMinutes(7);

    [Fact]
    public async Task PullRequestMeetsSecondaryLimit_WaitsTheRetryAfter_ThenOpensItOnce_WithoutRerunningTheAgent()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.CreatePullRequest, 1, FakeGitHubIssues.SecondaryLimit(TimeSpan.FromSeconds(60)));

        // The runner ends a poll after the start, so that GitHub's minute ends on the watchdog's beat, below.
        await fixture.PollAsync(issue);
        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));
        var limitedAt = fixture.Clock.GetUtcNow();
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));

        // 55 s on, less than the minute GitHub asked for: still publishing, and not asked again. The advance wakes the
        // poll timer and, on its beat, the watchdog: two ticks.
        await fixture.AdvanceAsync(issue, TimeSpan.FromSeconds(55), ticks: 2);
        var waiting = await SnapshotAsync(issue);
        Assert.Equal(RunState.Publishing, waiting.State);
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));

        await fixture.PollAsync(issue);

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(limitedAt + TimeSpan.FromSeconds(60), done.History[^1].Transitions[^1].At);
        Assert.Equal(2, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));
        Assert.Single(GitHub.PullRequests, p => p.Issue == issue);
        Assert.Single(sandbox.Commands);
        Assert.Single(fixture.Mirror.Published, p => p.Issue == issue);
        Assert.Equal([RunState.Queued, RunState.Provisioning, RunState.Running, RunState.Publishing, RunState.Succeeded],
            done.History[^1].Transitions.Select(t => t.State));
    }

    [Fact]
    public async Task RateLimitWait_HoldsAcrossDeactivation_TheWatchdogCarriesThePublishOn()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.CreatePullRequest, 1, FakeGitHubIssues.SecondaryLimit(TimeSpan.FromMinutes(3)));
        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));
        var limitedAt = fixture.Clock.GetUtcNow();
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));

        // Three times the grain is deactivated and only its watchdog brings it back, a minute later: one tick each
        // (the timer its activation arms is re-armed by the watchdog's tick before it runs). Twice it must still wait.
        for (var minute = 1; minute <= 3; minute++)
        {
            await fixture.Cluster.DeactivateAsync(Grain(issue));
            await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod);
            if (minute < 3)
            {
                Assert.Equal(RunState.Publishing, (await SnapshotAsync(issue)).State);
                Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));
            }
        }

        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(limitedAt + TimeSpan.FromMinutes(3), done.History[^1].Transitions[^1].At);
        Assert.Equal(2, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));
        Assert.Single(GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task StatusCommentEditsFail30Times_TheCommentStillEndsWithTheFinalText()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.UpdateComment, 30, FakeGitHubIssues.Outage());

        // The runner's end, a poll after the start (so that the advances below never land on the watchdog's beat), ends
        // the run and deletes its sandbox; the edit that tells the issue fails.
        await fixture.PollAsync(issue);
        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));
        var comment = Assert.Single(GitHub.CommentsOn(issue));
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.UpdateComment));
        Assert.DoesNotContain("Done", comment.Body);

        // Each advance makes one more try, and crosses the watchdog's beat: two ticks, the poll timer's, which tries,
        // and the watchdog's, for which the retry is not due yet.
        for (var tries = 2; tries <= 30; tries++)
        {
            await fixture.AdvanceAsync(issue, PastTheLongestCommentBackoff, ticks: 2);
            Assert.Equal(tries, GitHub.CallsOf(issue, GitHubCall.UpdateComment));
        }

        // The 31st try goes through and settles the run, which unregisters the watchdog: only the first tick is sure.
        await fixture.AdvanceAsync(issue, PastTheLongestCommentBackoff);

        Assert.Contains("Done", comment.Body);
        Assert.Contains(GitHub.PullRequests.Single(p => p.Issue == issue).Ref.Url, comment.Body);
        Assert.Equal(31, GitHub.CallsOf(issue, GitHubCall.UpdateComment));
        var done = await SnapshotAsync(issue);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.False(done.History[^1].CommentStale);
    }

    [Fact]
    public async Task StatusCommentKeepsFailingPastTheRetryLimit_TheRunIsFlagged_InTheSnapshotAndTheRegistry()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.UpdateComment, 1_000, FakeGitHubIssues.Outage());
        var retryLimit = new RunOptions().CommentRetryLimit;

        // The runner ends a poll after the start, so that the hourly advances below never land on the watchdog's beat.
        await fixture.PollAsync(issue);
        await fixture.FinishRunnerAsync(issue, sandbox, RunnerResults.Committed(running.Branch!));
        var failingSince = fixture.Clock.GetUtcNow();

        // An hour per advance: one more failing try each (the backoff is far shorter), and two ticks, the poll timer's
        // and the watchdog's. Short of the limit, the run is not flagged.
        for (var hours = 1; hours < retryLimit.TotalHours; hours++)
        {
            await fixture.AdvanceAsync(issue, TimeSpan.FromHours(1), ticks: 2);
            Assert.False((await SnapshotAsync(issue)).History[^1].CommentStale);
        }

        // The try at the limit flags the run, which settles it and unregisters the watchdog: only the first tick is sure.
        await fixture.AdvanceAsync(issue, TimeSpan.FromHours(1));

        var flagged = await SnapshotAsync(issue);
        Assert.Equal(failingSince + retryLimit, fixture.Clock.GetUtcNow());
        Assert.True(flagged.History[^1].CommentStale);
        Assert.Equal(RunState.Succeeded, flagged.State);
        Assert.Equal((int)retryLimit.TotalHours + 1, GitHub.CallsOf(issue, GitHubCall.UpdateComment));
        Assert.Contains("working on this issue", Assert.Single(GitHub.CommentsOn(issue)).Body);
        var page = await fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: issue.RepositoryFullName, PageSize: 200));
        Assert.True(Assert.Single(page.Items, e => e.Key == issue.ToString()).CommentStale);
    }

    [Fact]
    public async Task PermissionLookupFailsTransiently_IsRetried_TheCommandWaits_ThenTheRunStarts()
    {
        var issue = fixture.NextIssue();
        var actor = $"writer-{issue.Number}";
        GitHub.FailNextLookups(actor, 2, FakeGitHubIssues.Outage());

        await fixture.SubmitAndTickAsync(issue, Command(actor));
        var waiting = await SnapshotAsync(issue);
        Assert.Equal(1, GitHub.LookupsOf(actor));
        Assert.Equal(1, waiting.PendingCommands);
        Assert.Empty(waiting.History);

        // The lookup waits 10 s, then 20 s, each plus up to a quarter. Each advance of a minute lands on the watchdog's
        // beat (it was registered at the submit): two ticks, the poll timer's, which looks up again, and the watchdog's.
        await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod, ticks: 2);
        Assert.Equal(2, GitHub.LookupsOf(actor));
        Assert.Equal(1, (await SnapshotAsync(issue)).PendingCommands);

        await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod, ticks: 2);

        var running = await SnapshotAsync(issue);
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(fixture.Clock.GetUtcNow(), running.History[^1].Transitions[0].At);
        Assert.Equal(3, GitHub.LookupsOf(actor));
        Assert.DoesNotContain(GitHub.OtherReactions, r => r.Issue == issue);
    }

    [Fact]
    public async Task PermissionLookupKeepsFailing_TheSenderGetsAConfusedReactionAndAReply_AndNoRunStarts()
    {
        var issue = fixture.NextIssue();
        var actor = $"writer-{issue.Number}";
        GitHub.FailNextLookups(actor, 100, FakeGitHubIssues.Outage());

        // The submit's tick makes the first lookup. The later ones wait at most 12.5 s, 25 s and 50 s, and the denial
        // 100 s. Each advance of a minute lands on the watchdog's beat: two ticks. Lookups 2 to 4 come at minutes 1 to
        // 3; minute 4 is still within the last wait.
        await fixture.SubmitAndTickAsync(issue, Command(actor, CommandSource.Comment, commentId: 7_000 + issue.Number));
        for (var minute = 1; minute <= 4; minute++)
        {
            await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod, ticks: 2);
            Assert.Equal(Math.Min(minute + 1, CommandAuthorization.MaxLookups), GitHub.LookupsOf(actor));
            Assert.Equal(1, (await SnapshotAsync(issue)).PendingCommands);
        }

        // Minute 5 denies the command; that settles the issue and unregisters the watchdog: only the first tick is sure.
        await fixture.AdvanceAsync(issue, GrainClusterFixture.WatchdogPeriod);

        var snapshot = await SnapshotAsync(issue);
        Assert.Equal(0, snapshot.PendingCommands);
        Assert.Empty(snapshot.History);
        Assert.Equal(CommandAuthorization.MaxLookups, GitHub.LookupsOf(actor));
        Assert.Contains((issue, 7_000L + issue.Number, GitHubReaction.Confused), GitHub.OtherReactions);
        Assert.DoesNotContain(GitHub.Reactions, r => r.Issue == issue);
        var reply = Assert.Single(GitHub.CommentsOn(issue));
        Assert.Contains($"@{actor}", reply.Body);
        Assert.Contains("could not be asked", reply.Body);
    }
}
