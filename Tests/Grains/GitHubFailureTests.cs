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

    private async Task<(IssueSnapshot Running, FakeSandbox Sandbox)> StartRunAsync(IssueKey issue)
    {
        await Grain(issue).SubmitAsync(Command("maintainer"));
        var running = await Eventually.MatchesAsync(() => Grain(issue).GetSnapshotAsync(), s => s.State == RunState.Running, $"{issue} Running");
        await Eventually.TrueAsync(() => GitHub.CommentsOn(issue).Any(c => c.Body.Contains("working on this issue", StringComparison.Ordinal)), "the status comment");
        return (running, fixture.Sandboxes.Find(running.SandboxId!)!);
    }

    /// <summary>
    /// Moves the fake clock by <paramref name="step"/> at a time, waiting after each move for the grain's tick, until the
    /// condition holds or <paramref name="most"/> has passed. Returns the time moved.
    /// </summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Func<Task<bool>> condition, TimeSpan step, TimeSpan most)
    {
        var moved = TimeSpan.Zero;
        while (!await condition())
        {
            if (moved >= most) return moved;
            fixture.Clock.Advance(step);
            moved += step;
            await Task.Delay(10);
        }

        return moved;
    }

    private Task<TimeSpan> AdvanceUntilAsync(IssueKey issue, Func<IssueSnapshot, bool> condition, TimeSpan step, TimeSpan most) =>
        AdvanceUntilAsync(async () => condition(await Grain(issue).GetSnapshotAsync()), step, most);

    private static readonly TimeSpan Poll = GrainClusterFixture.PollInterval;

    [Fact]
    public async Task PullRequestMeetsSecondaryLimit_WaitsTheRetryAfter_ThenOpensItOnce_WithoutRerunningTheAgent()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.CreatePullRequest, 1, FakeGitHubIssues.SecondaryLimit(TimeSpan.FromSeconds(60)));

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        await AdvanceUntilAsync(() => Task.FromResult(GitHub.CallsOf(issue, GitHubCall.CreatePullRequest) == 1), Poll, TimeSpan.FromSeconds(30));
        var limitedAt = fixture.Clock.GetUtcNow();

        // Less than the minute GitHub asked for: still publishing, and not asked again.
        while (fixture.Clock.GetUtcNow() - limitedAt < TimeSpan.FromSeconds(55))
        {
            fixture.Clock.Advance(Poll);
            await Task.Delay(10);
        }

        var waiting = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Publishing, waiting.State);
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));

        await AdvanceUntilAsync(issue, s => s.State == RunState.Succeeded, Poll, TimeSpan.FromMinutes(1));
        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Succeeded, done.State);
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
        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        await AdvanceUntilAsync(() => Task.FromResult(GitHub.CallsOf(issue, GitHubCall.CreatePullRequest) == 1), Poll, TimeSpan.FromSeconds(30));

        await fixture.Cluster.DeactivateAsync(Grain(issue));
        // Two watchdog periods: the reminder re-activates the grain, which must still wait.
        fixture.Clock.Advance(GrainClusterFixture.WatchdogPeriod);
        await Task.Delay(50);
        fixture.Clock.Advance(GrainClusterFixture.WatchdogPeriod);
        await Task.Delay(50);
        Assert.Equal(1, GitHub.CallsOf(issue, GitHubCall.CreatePullRequest));

        await AdvanceUntilAsync(issue, s => s.State == RunState.Succeeded, GrainClusterFixture.WatchdogPeriod, TimeSpan.FromMinutes(5));
        Assert.Equal(RunState.Succeeded, (await Grain(issue).GetSnapshotAsync()).State);
        Assert.Single(GitHub.PullRequests, p => p.Issue == issue);
    }

    [Fact]
    public async Task StatusCommentEditsFail30Times_TheCommentStillEndsWithTheFinalText()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.UpdateComment, 30, FakeGitHubIssues.Outage());

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        var comment = Assert.Single(GitHub.CommentsOn(issue));
        await AdvanceUntilAsync(() => Task.FromResult(comment.Body.Contains("Done", StringComparison.Ordinal)), TimeSpan.FromMinutes(1), TimeSpan.FromHours(6));

        Assert.Contains("Done", comment.Body);
        Assert.Contains(GitHub.PullRequests.Single(p => p.Issue == issue).Ref.Url, comment.Body);
        Assert.Equal(31, GitHub.CallsOf(issue, GitHubCall.UpdateComment));
        var done = await Eventually.MatchesAsync(() => Grain(issue).GetSnapshotAsync(), s => s.History[^1].SandboxDeleted, "cleaned up");
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.False(done.History[^1].CommentStale);
    }

    [Fact]
    public async Task StatusCommentKeepsFailingPastTheRetryLimit_TheRunIsFlagged_InTheSnapshotAndTheRegistry()
    {
        var issue = fixture.NextIssue();
        var (running, sandbox) = await StartRunAsync(issue);
        GitHub.FailNext(issue, GitHubCall.UpdateComment, 1_000, FakeGitHubIssues.Outage());

        sandbox.FinishRunner(RunnerResults.Committed(running.Branch!));
        var moved = await AdvanceUntilAsync(issue, s => s.History[^1].CommentStale, TimeSpan.FromMinutes(10), TimeSpan.FromHours(30));

        var flagged = await Grain(issue).GetSnapshotAsync();
        Assert.True(flagged.History[^1].CommentStale);
        Assert.True(moved >= new RunOptions().CommentRetryLimit, $"flagged after {moved}");
        Assert.Equal(RunState.Succeeded, flagged.State);
        Assert.Contains("working on this issue", Assert.Single(GitHub.CommentsOn(issue)).Body);
        var page = await Eventually.MatchesAsync(() => fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(PageSize: 200)),
            p => p.Items.Any(e => e.Key == issue.ToString() && e.CommentStale), "the registry's entry flagged");
        Assert.Contains(page.Items, e => e.Key == issue.ToString() && e.CommentStale);
    }

    [Fact]
    public async Task PermissionLookupFailsTransiently_IsRetried_TheCommandWaits_ThenTheRunStarts()
    {
        var issue = fixture.NextIssue();
        var actor = $"writer-{issue.Number}";
        GitHub.FailNextLookups(actor, 2, FakeGitHubIssues.Outage());

        await Grain(issue).SubmitAsync(Command(actor));
        await Eventually.TrueAsync(() => GitHub.LookupsOf(actor) == 1, "the first lookup");
        var waiting = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(1, waiting.PendingCommands);
        Assert.Empty(waiting.History);

        await AdvanceUntilAsync(issue, s => s.State == RunState.Running, Poll, TimeSpan.FromMinutes(5));
        Assert.Equal(RunState.Running, (await Grain(issue).GetSnapshotAsync()).State);
        Assert.Equal(3, GitHub.LookupsOf(actor));
        Assert.DoesNotContain(GitHub.OtherReactions, r => r.Issue == issue);
    }

    [Fact]
    public async Task PermissionLookupKeepsFailing_TheSenderGetsAConfusedReactionAndAReply_AndNoRunStarts()
    {
        var issue = fixture.NextIssue();
        var actor = $"writer-{issue.Number}";
        GitHub.FailNextLookups(actor, 100, FakeGitHubIssues.Outage());

        await Grain(issue).SubmitAsync(Command(actor, CommandSource.Comment, commentId: 7_000 + issue.Number));
        await AdvanceUntilAsync(issue, s => s.PendingCommands == 0, Poll, TimeSpan.FromMinutes(10));

        var snapshot = await Grain(issue).GetSnapshotAsync();
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
