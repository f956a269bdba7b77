namespace SandboxAgents.Tests.Unit;

public sealed class IssueTextTests
{
    [Fact]
    public void Capped_WithinLimits_Unchanged()
    {
        var text = new IssueText("Fix the typo", "README says 'teh'.");

        Assert.Same(text, text.Capped());
        Assert.Equal(text, IssueText.Capped("Fix the typo", "README says 'teh'."));
    }

    [Fact]
    public void Capped_OverlongTitleAndBody_CutToGitHubsLimits()
    {
        var text = IssueText.Capped(new string('t', 300), new string('b', 70_000));

        Assert.Equal(256, text.Title.Length);
        Assert.Equal(65_536, text.Body.Length);
        Assert.Equal(text, new IssueText(new string('t', 300), new string('b', 70_000)).Capped());
    }

    [Fact]
    public void Capped_Null_BecomesEmpty() => Assert.Equal(new IssueText("", ""), IssueText.Capped(null, null));

    [Fact]
    public void Cap_WouldSplitASurrogatePair_StopsBeforeIt()
    {
        var title = new string('t', 255) + "😀";

        var capped = IssueText.Capped(title, "").Title;

        Assert.Equal(255, capped.Length);
        Assert.False(char.IsHighSurrogate(capped[^1]));
    }
}
