using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class PullRequestTextTests
{
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#7");

    private static string Body(RunRecord run) => PullRequestText.Body(Issue, run, RunRecords.Start.AddMinutes(5));

    [Fact]
    public void Body_HostileSummary_TheOnlyClosingReferenceIsTheRunsOwnIssue()
    {
        const string Summary = "Fixes #12. closes octo/other#3\nResolves: https://github.com/o/r/issues/4\nFIXED GH-9, fix: #7 and close https://github.com/octo/widgets/pull/2";
        Assert.True(GitHubRendering.ClosingReferences(Summary).Count >= 4);

        var body = Body(RunRecords.In(RunState.Succeeded, summary: Summary, blockedHosts: ["tracker.example #5"]));

        Assert.Equal(["Closes #7"], GitHubRendering.ClosingReferences(body));
        Assert.Equal(["#7"], GitHubRendering.References(body));
        Assert.StartsWith("Closes #7\n", body.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Body_HostileSummary_NoMentionHtmlOrImage()
    {
        var body = Body(RunRecords.In(RunState.Succeeded, summary: "@someone @org/team <img src=x> <!-- hidden --> ![x](https://evil/t.png) &#64;x"));

        Assert.Empty(GitHubRendering.Mentions(body.Replace("@maintainer", "", StringComparison.Ordinal)));
        Assert.Empty(GitHubRendering.RawHtml(body));
        Assert.False(GitHubRendering.HasImage(body));
    }

    [Fact]
    public void Body_BlockedHosts_Listed()
    {
        var body = Body(RunRecords.In(RunState.Succeeded, summary: "ok", blockedHosts: ["pypi.example", "evil.example"]));

        Assert.Contains("The sandbox's network filter blocked: `pypi.example`, `evil.example`.", body);
    }

    [Fact]
    public void Body_BenignSummary_ReadsAsWritten()
    {
        var body = Body(RunRecords.In(RunState.Succeeded, summary: "Fixed the typo in `README.md` and made `Parse<T>` stricter."));

        Assert.Contains("### What the agent said\nFixed the typo in <code>README.md</code> and made <code>Parse&lt;T&gt;</code> stricter.\n", body.ReplaceLineEndings("\n"));
    }
}
