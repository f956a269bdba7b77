namespace SandboxAgents.Tests.Grains;

/// <summary>The pull request grain: a pull request the service opened hands its commands to the issue's grain; any other refuses them without a write.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class PullRequestGrainTests(GrainClusterFixture fixture)
{
    private static int _delivery;

    private IPullRequestGrain PullRequest(IssueKey key) => fixture.Grains.GetGrain<IPullRequestGrain>(key.ToString());

    private int WritesOf(IssueKey pullRequest) => fixture.Storage.WritesOf(StorageNames.PullRequestState, PullRequest(pullRequest).GetGrainId());

    private static IssueCommand Review(int number) =>
        new(CommandKind.Iterate, CommandSource.Review, "reviewer", $"pull-request-test-{Interlocked.Increment(ref _delivery)}", Issue: null,
            PullRequest: new PullRequestSignal(number, "ec26c3e57ca3a959ca5aad62de7213c562f8c821", FeedbackId: 237895671));

    [Fact]
    public async Task Submit_NotLinked_NotAgentPullRequest_AndNothingStored()
    {
        var pullRequest = fixture.NextIssue();

        var outcome = await PullRequest(pullRequest).SubmitAsync(Review(pullRequest.Number));

        Assert.Equal(SubmitOutcome.NotAgentPullRequest, outcome);
        Assert.Null(await PullRequest(pullRequest).GetIssueAsync());
        Assert.Equal(0, WritesOf(pullRequest));
    }

    [Fact]
    public async Task Submit_Linked_TheIssuesGrainTakesTheCommand()
    {
        var (issue, pullRequest) = (fixture.NextIssue(), fixture.NextIssue());
        await PullRequest(pullRequest).LinkAsync(issue.ToString(), $"agent/issue-{issue.Number}");
        var run = new IssueCommand(CommandKind.Run, CommandSource.Label, "maintainer", $"pull-request-test-{Interlocked.Increment(ref _delivery)}",
            new IssueText("Fix the typo", "README says 'teh'."));

        var started = fixture.Ticks.NextAsync(issue);
        var outcome = await PullRequest(pullRequest).SubmitAsync(run);
        await started;

        Assert.Equal(SubmitOutcome.Accepted, outcome);
        var running = await fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString()).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);
        Assert.Equal(("maintainer", CommandSource.Label), (running.History[^1].RequestedBy, running.History[^1].Source));

        // The issue grain's own answer comes back: a redelivery is its duplicate, not the pull request grain's.
        Assert.Equal(SubmitOutcome.DuplicateDelivery, await PullRequest(pullRequest).SubmitAsync(run));
        var cancelled = fixture.Ticks.NextAsync(issue);
        Assert.Equal(SubmitOutcome.Accepted, await PullRequest(pullRequest).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.Api, "operator", null, null)));
        await cancelled;
        Assert.Equal(RunState.Cancelled, (await fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString()).GetSnapshotAsync()).State);
    }

    [Fact]
    public async Task Link_Twice_WritesOnce_AndALaterOtherIssueDoesNotReplaceTheFirst()
    {
        var (issue, other, pullRequest) = (fixture.NextIssue(), fixture.NextIssue(), fixture.NextIssue());

        await PullRequest(pullRequest).LinkAsync(issue.ToString(), "agent/issue-1");
        await PullRequest(pullRequest).LinkAsync(issue.ToString(), "agent/issue-1");
        await PullRequest(pullRequest).LinkAsync(other.ToString(), "agent/issue-2");

        Assert.Equal(issue.ToString(), await PullRequest(pullRequest).GetIssueAsync());
        Assert.Equal(1, WritesOf(pullRequest));
    }

    [Fact]
    public async Task Link_IssueOfAnotherRepository_Refused()
    {
        var pullRequest = fixture.NextIssue();

        await Assert.ThrowsAsync<ArgumentException>(() => PullRequest(pullRequest).LinkAsync(new IssueKey("someone", "else", 1).ToString(), "agent/issue-1"));

        Assert.Null(await PullRequest(pullRequest).GetIssueAsync());
        Assert.Equal(0, WritesOf(pullRequest));
    }
}
