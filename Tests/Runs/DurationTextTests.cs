using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

/// <summary>The comment, the pull request and the checks list show a span of time the same way.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData(4_200, "4.2s")]
    [InlineData(42_000, "42s")]
    [InlineData(187_000, "3m 7s")]
    [InlineData(3_723_000, "1h 2m")]
    [InlineData(-5, "0.0s")]
    public void Of_ShowsTheSpanAtTheScaleThatMatters(long milliseconds, string expected) =>
        Assert.Equal(expected, DurationText.Of(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void StatusComment_AndPullRequest_ShowTheirDurationsThatWay()
    {
        var running = RunRecords.In(RunState.Running);
        var comment = StatusComment.Render(running, "/agent", "https://dash.example/runs/1", RunRecords.Start.AddMilliseconds(4_200));
        var body = PullRequestText.Body(IssueKey.Parse("octo/widgets#7"), RunRecords.In(RunState.Succeeded, summary: "ok"), RunRecords.Start.AddSeconds(3_723));

        Assert.Contains("running for 4.2s", comment);
        Assert.Contains("duration: 1h 2m", body);
    }
}
