using SandboxAgents.Tests.Grains;

namespace SandboxAgents.Tests.Runs;

/// <summary>The grain holds issue text to GitHub's limits itself, whoever built the command (defence in depth).</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class SandboxGrainCapTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task SubmitAsync_OverlongTitle_ReachesTheRegistryCapped()
    {
        var issue = fixture.NextIssue();
        var title = new string('t', 300);

        await fixture.SubmitAndTickAsync(issue,
            new IssueCommand(CommandKind.Run, CommandSource.Api, "operator", $"cap-{issue.Number}", new IssueText(title, new string('b', 70_000))));

        // The tick that queued and started the run recorded it in the registry.
        var page = await fixture.Grains.GetGrain<IRunRegistryGrain>(0).GetPageAsync(new RunQuery(Repository: issue.RepositoryFullName, PageSize: 200));
        Assert.Equal(title[..IssueText.MaxTitleLength], Assert.Single(page.Items, r => r.Key == issue.ToString()).Title);
    }
}
