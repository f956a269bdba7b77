using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs.Transcripts;

public sealed class TranscriptLinkTests
{
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#7");

    [Fact]
    public void KeptTranscript_WithAPublicUrl_IsLinkedFromThePullRequest()
    {
        var run = RunRecords.In(RunState.Succeeded, summary: "ok");
        run.TranscriptKept = true;
        var links = new DashboardLinkOptions { PublicUrl = new Uri("https://agents.example/base/") };

        var link = links.TranscriptOf(Issue, run);
        var body = PullRequestText.Body(Issue, run, RunRecords.Start.AddMinutes(5), link);

        Assert.Equal("https://agents.example/base/api/tasks/octo/widgets/7/runs/0123456789abcdef/transcript", link);
        Assert.Contains($"\nTranscript: {link}\n", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void NoTranscriptOrNoPublicUrl_NoLink()
    {
        var run = RunRecords.In(RunState.Succeeded, summary: "ok");
        Assert.Null(new DashboardLinkOptions { PublicUrl = new Uri("https://agents.example") }.TranscriptOf(Issue, run));
        run.TranscriptKept = true;
        Assert.Null(new DashboardLinkOptions().TranscriptOf(Issue, run));
        Assert.DoesNotContain("Transcript:", PullRequestText.Body(Issue, run, RunRecords.Start.AddMinutes(5)), StringComparison.Ordinal);
    }
}
