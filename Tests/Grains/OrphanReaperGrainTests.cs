using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Grains;

[Collection(GrainClusterCollection.Name)]
public sealed class OrphanReaperGrainTests(GrainClusterFixture fixture)
{
    private Task<SandboxInfo> PlantAsync(string name, Dictionary<string, string> labels) =>
        fixture.Sandboxes.CreateAsync(new SandboxSpec(name, labels, new Dictionary<string, string>()), CancellationToken.None);

    private static Dictionary<string, string> Ours(string issue, string run) => new()
    {
        [SandboxLabels.Service] = SandboxLabels.ServiceValue,
        [SandboxLabels.Instance] = "grain-tests",
        [SandboxLabels.Issue] = issue,
        [SandboxLabels.Run] = run,
    };

    [Fact]
    public async Task Reap_DeletesOnlyOurSandboxesThatNoLiveRunOwns()
    {
        var running = fixture.NextIssue();
        await fixture.SubmitAndTickAsync(running,
            new IssueCommand(CommandKind.Run, CommandSource.Label, "maintainer", $"reaper-{running.Number}", new IssueText("Owned", "")));
        var owned = await fixture.Grains.GetGrain<ISandboxGrain>(running.ToString()).GetSnapshotAsync();
        Assert.Equal(RunState.Running, owned.State);
        var unknownRun = await PlantAsync("orphan-unknown-run", Ours(running.ToString(), "not-a-run-of-this-issue"));
        var unknownIssue = await PlantAsync("orphan-unknown-issue", Ours(fixture.NextIssue().ToString(), "ghost"));
        var otherInstance = await PlantAsync("someone-elses", new Dictionary<string, string>(Ours(fixture.NextIssue().ToString(), "ghost")) { [SandboxLabels.Instance] = "another-installation" });
        var unlabelled = await PlantAsync("not-ours", []);

        var reaped = await fixture.Grains.GetGrain<IOrphanReaperGrain>(0).ReapAsync();

        Assert.Contains(unknownRun.Id, reaped);
        Assert.Contains(unknownIssue.Id, reaped);
        Assert.True(fixture.Sandboxes.Find(unknownRun.Id)!.Deleted);
        Assert.True(fixture.Sandboxes.Find(unknownIssue.Id)!.Deleted);
        Assert.False(fixture.Sandboxes.Find(owned.SandboxId!)!.Deleted);
        Assert.False(fixture.Sandboxes.Find(otherInstance.Id)!.Deleted);
        Assert.False(fixture.Sandboxes.Find(unlabelled.Id)!.Deleted);
        Assert.DoesNotContain(owned.SandboxId, reaped);
    }
}
