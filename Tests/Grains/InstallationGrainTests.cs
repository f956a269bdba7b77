using SandboxAgents.Tests.Fakes;

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

    /// <summary>Starts a run and returns its sandbox's id.</summary>
    private async Task<string> StartRunAsync(IssueKey issue)
    {
        await Grain(issue).SubmitAsync(Run());
        var running = await Eventually.MatchesAsync(() => Grain(issue).GetSnapshotAsync(), s => s.State == RunState.Running, $"{issue} Running");
        await Eventually.TrueAsync(() => fixture.GitHub.CommentsOn(issue).Any(c => c.Body.Contains("working on this issue", StringComparison.Ordinal)), "the status comment");
        return running.SandboxId!;
    }

    private async Task<IssueSnapshot> PollUntilAsync(IssueKey issue, Func<IssueSnapshot, bool> condition, string what)
    {
        for (var polls = 0; polls < 100; polls++)
        {
            var snapshot = await Grain(issue).GetSnapshotAsync();
            if (condition(snapshot)) return snapshot;
            fixture.Clock.Advance(GrainClusterFixture.PollInterval);
            await Task.Yield();
            await Task.Delay(5);
        }

        throw new TimeoutException($"{issue}: still not {what} after 100 poll intervals.");
    }

    [Fact]
    public async Task Uninstalled_CancelsTheAccountsActiveRuns_DeletesTheirSandboxes_AndWritesNoMoreComments()
    {
        var account = NextAccount();
        var (first, second, elsewhere) = (new IssueKey(account, "app", 1), new IssueKey(account, "lib", 2), new IssueKey(NextAccount(), "app", 3));
        var sandboxes = new[] { await StartRunAsync(first), await StartRunAsync(second), await StartRunAsync(elsewhere) };
        var commentEdits = fixture.GitHub.CommentsOn(first).Single().Bodies.Count;

        var cancelled = await fixture.Grains.GetGrain<IInstallationGrain>(4001).ApplyAsync(Change(InstallationChangeKind.Uninstalled, account));

        Assert.Equal(2, cancelled);
        foreach (var (issue, sandboxId) in new[] { (first, sandboxes[0]), (second, sandboxes[1]) })
        {
            var done = await PollUntilAsync(issue, s => s.State == RunState.Cancelled && s.History[^1].SandboxDeleted, "cancelled with its sandbox deleted");
            Assert.Equal("Cancelled by @octocat (the GitHub App was uninstalled).", done.History[^1].Transitions[^1].Note);
            Assert.True(fixture.Sandboxes.Find(sandboxId)!.Deleted);
        }

        // The registry hears of the end after the tick's comment sync: that sync wrote nothing, as the service can no
        // longer write there.
        await Eventually.MatchesAsync(() => fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: first.RepositoryFullName)),
            page => page.Items.Single().State == RunState.Cancelled, "the registry has the cancel");
        Assert.Equal(commentEdits, fixture.GitHub.CommentsOn(first).Single().Bodies.Count);
        Assert.Equal(RunState.Running, (await Grain(elsewhere).GetSnapshotAsync()).State);
        await Grain(elsewhere).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.Api, "operator", null, null));
    }

    [Fact]
    public async Task RepositoriesRemoved_CancelsOnlyThoseRepositoriesRuns()
    {
        var account = NextAccount();
        var (removed, kept) = (new IssueKey(account, "removed", 1), new IssueKey(account, "kept", 2));
        await StartRunAsync(removed);
        await StartRunAsync(kept);

        var cancelled = await fixture.Grains.GetGrain<IInstallationGrain>(4002)
            .ApplyAsync(Change(InstallationChangeKind.RepositoriesRemoved, account, [removed.RepositoryFullName.ToUpperInvariant()]));

        Assert.Equal(1, cancelled);
        var done = await PollUntilAsync(removed, s => s.State == RunState.Cancelled && s.History[^1].SandboxDeleted, "cancelled");
        Assert.Contains("the repository was removed from the GitHub App", done.History[^1].Transitions[^1].Note);
        Assert.Equal(RunState.Running, (await Grain(kept).GetSnapshotAsync()).State);
        await Grain(kept).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.Api, "operator", null, null));
    }

    [Fact]
    public async Task Suspended_CancelsActiveRunsAndIsRemembered_UntilUnsuspended()
    {
        var account = NextAccount();
        var issue = new IssueKey(account, "app", 1);
        await StartRunAsync(issue);
        var installation = fixture.Grains.GetGrain<IInstallationGrain>(4003);

        Assert.Equal(1, await installation.ApplyAsync(Change(InstallationChangeKind.Suspended, account)));

        Assert.True(await installation.IsSuspendedAsync());
        var done = await PollUntilAsync(issue, s => s.State == RunState.Cancelled && s.History[^1].SandboxDeleted, "cancelled");
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

        await fixture.Grains.GetGrain<IInstallationGrain>(4004).ApplyAsync(change);
        await PollUntilAsync(issue, s => s.State == RunState.Cancelled, "cancelled");
        await Grain(issue).SubmitAsync(Run());
        await PollUntilAsync(issue, s => s.State == RunState.Running, "running again");

        await fixture.Grains.GetGrain<IInstallationGrain>(4004).ApplyAsync(change);

        Assert.Equal(SubmitOutcome.DuplicateDelivery, (await Grain(issue).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.AppUninstalled, "octocat", change.DeliveryId, null))).Outcome);
        Assert.Equal(RunState.Running, (await Grain(issue).GetSnapshotAsync()).State);
        await Grain(issue).SubmitAsync(new IssueCommand(CommandKind.Cancel, CommandSource.Api, "operator", null, null));
    }
}
