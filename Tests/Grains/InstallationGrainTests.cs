namespace SandboxAgents.Tests.Grains;

/// <summary>Installation events: an uninstall, a suspension or a removed repository cancels the runs it affects; a suspension is remembered.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class InstallationGrainTests(GrainClusterFixture fixture)
{
    private static int _account;
    private static int _delivery;

    private static string NextAccount() => $"installed-{Interlocked.Increment(ref _account)}";

    private ISandboxGrain Grain(IssueKey issue) => fixture.Grains.GetGrain<ISandboxGrain>(issue.ToString());

    private static IssueCommand Run() =>
        new(CommandKind.Run, CommandSource.Label, "maintainer", $"installation-test-{Interlocked.Increment(ref _delivery)}", new IssueText("Fix the typo", "README says 'teh'."));

    private static InstallationChange Change(InstallationChangeKind kind, string account, IReadOnlyList<string>? repositories = null) =>
        new(kind, 4000 + _account, account, repositories, "octocat", $"installation-delivery-{Interlocked.Increment(ref _delivery)}");

    private static IssueCommand OperatorCancel() => new(CommandKind.Cancel, CommandSource.Api, "operator", null, null);

    /// <summary>Starts a run in one tick and returns its sandbox's id.</summary>
    private async Task<string> StartRunAsync(IssueKey issue)
    {
        await fixture.SubmitAndTickAsync(issue, Run());
        var running = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Running, running.State);
        Assert.Contains(fixture.GitHub.CommentsOn(issue), c => c.Body.Contains("working on this issue", StringComparison.Ordinal));
        return running.SandboxId!;
    }

    /// <summary>Applies the change and awaits the tick each cancel it submits causes, in the issues expected to be cancelled.</summary>
    private async Task<int> ApplyAndTickAsync(long installationId, InstallationChange change, params IssueKey[] cancelled)
    {
        var ticks = cancelled.Select(issue => fixture.Ticks.NextAsync(issue)).ToList();
        var count = await fixture.Grains.GetGrain<IInstallationGrain>(installationId).ApplyAsync(change);
        await Task.WhenAll(ticks);
        return count;
    }

    /// <summary>Ended at the cancel's tick, sandbox deleted, and nothing written on the issue: the service lost its access there.</summary>
    private async Task<IssueSnapshot> AssertCancelledAsync(IssueKey issue, string sandboxId, int commentEdits)
    {
        var done = await Grain(issue).GetSnapshotAsync();
        Assert.Equal(RunState.Cancelled, done.State);
        Assert.Equal(fixture.Clock.GetUtcNow(), done.History[^1].Transitions[^1].At);
        Assert.True(done.History[^1].SandboxDeleted);
        Assert.True(fixture.Sandboxes.Find(sandboxId)!.Deleted);
        Assert.Equal(commentEdits, fixture.GitHub.CommentsOn(issue).Single().Bodies.Count);
        return done;
    }

    [Fact]
    public async Task Uninstalled_CancelsTheAccountsActiveRuns_DeletesTheirSandboxes_AndWritesNoMoreComments()
    {
        var account = NextAccount();
        var (first, second, elsewhere) = (new IssueKey(account, "app", 1), new IssueKey(account, "lib", 2), new IssueKey(NextAccount(), "app", 3));
        var sandboxes = new[] { await StartRunAsync(first), await StartRunAsync(second), await StartRunAsync(elsewhere) };
        var commentEdits = new[] { first, second }.Select(i => fixture.GitHub.CommentsOn(i).Single().Bodies.Count).ToList();

        var cancelled = await ApplyAndTickAsync(4001, Change(InstallationChangeKind.Uninstalled, account), first, second);

        Assert.Equal(2, cancelled);
        foreach (var (issue, sandboxId, edits) in new[] { (first, sandboxes[0], commentEdits[0]), (second, sandboxes[1], commentEdits[1]) })
        {
            var done = await AssertCancelledAsync(issue, sandboxId, edits);
            Assert.Equal("Cancelled by @octocat (the GitHub App was uninstalled).", done.History[^1].Transitions[^1].Note);
        }

        // The tick that ended the run told the registry too.
        var page = await fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: first.RepositoryFullName));
        Assert.Equal(RunState.Cancelled, page.Items.Single().State);
        Assert.Equal(RunState.Running, (await Grain(elsewhere).GetSnapshotAsync()).State);
        await fixture.SubmitAndTickAsync(elsewhere, OperatorCancel());
    }

    [Fact]
    public async Task RepositoriesRemoved_CancelsOnlyThoseRepositoriesRuns()
    {
        var account = NextAccount();
        var (removed, kept) = (new IssueKey(account, "removed", 1), new IssueKey(account, "kept", 2));
        var sandboxId = await StartRunAsync(removed);
        await StartRunAsync(kept);
        var commentEdits = fixture.GitHub.CommentsOn(removed).Single().Bodies.Count;

        var cancelled = await ApplyAndTickAsync(4002, Change(InstallationChangeKind.RepositoriesRemoved, account, [removed.RepositoryFullName.ToUpperInvariant()]), removed);

        Assert.Equal(1, cancelled);
        var done = await AssertCancelledAsync(removed, sandboxId, commentEdits);
        Assert.Contains("the repository was removed from the GitHub App", done.History[^1].Transitions[^1].Note);
        Assert.Equal(RunState.Running, (await Grain(kept).GetSnapshotAsync()).State);
        await fixture.SubmitAndTickAsync(kept, OperatorCancel());
    }

    [Fact]
    public async Task Suspended_CancelsActiveRunsAndIsRemembered_UntilUnsuspended()
    {
        var account = NextAccount();
        var issue = new IssueKey(account, "app", 1);
        var sandboxId = await StartRunAsync(issue);
        var commentEdits = fixture.GitHub.CommentsOn(issue).Single().Bodies.Count;
        var installation = fixture.Grains.GetGrain<IInstallationGrain>(4003);

        Assert.Equal(1, await ApplyAndTickAsync(4003, Change(InstallationChangeKind.Suspended, account), issue));

        Assert.True(await installation.IsSuspendedAsync());
        var done = await AssertCancelledAsync(issue, sandboxId, commentEdits);
        Assert.Equal("Cancelled by @octocat (the GitHub App was suspended).", done.History[^1].Transitions[^1].Note);

        Assert.Equal(0, await installation.ApplyAsync(Change(InstallationChangeKind.Unsuspended, account)));
        Assert.False(await installation.IsSuspendedAsync());
    }

    [Fact]
    public async Task Uninstalled_SameDeliveryTwice_CancelsOnce()
    {
        var account = NextAccount();
        var issue = new IssueKey(account, "app", 1);
        await StartRunAsync(issue);
        var change = Change(InstallationChangeKind.Uninstalled, account);

        await ApplyAndTickAsync(4004, change, issue);
        Assert.Equal(RunState.Cancelled, (await Grain(issue).GetSnapshotAsync()).State);
        await StartRunAsync(issue);

        // The redelivered change finds the new run but its cancel is dropped as seen before: nothing waits in the inbox.
        Assert.Equal(1, await fixture.Grains.GetGrain<IInstallationGrain>(4004).ApplyAsync(change));

        Assert.Equal(SubmitOutcome.DuplicateDelivery, (await Grain(issue).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.AppUninstalled, "octocat", change.DeliveryId, null))).Outcome);
        var snapshot = await Grain(issue).GetSnapshotAsync();
        Assert.Equal((RunState.Running, 0), (snapshot.State, snapshot.PendingCommands));
        await fixture.SubmitAndTickAsync(issue, OperatorCancel());
    }
}
