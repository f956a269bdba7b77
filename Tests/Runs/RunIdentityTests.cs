using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class RunIdentityTests
{
    [Fact]
    public void SandboxName_SameRun_SameName_WithinLimits()
    {
        var issue = IssueKey.Parse("some-very-long-organisation-name/an.extremely_long.repository-name-that-keeps-going#123456");

        var name = RunIdentity.SandboxName(issue, "0123456789ab");

        Assert.Equal(name, RunIdentity.SandboxName(issue, "0123456789ab"));
        Assert.True(name.Length <= 63, name);
        Assert.Matches("^[a-z0-9-]+$", name);
        Assert.EndsWith("-123456-0123456789ab", name);
    }

    [Fact]
    public void SandboxName_DifferentOwners_DifferentNames() =>
        Assert.NotEqual(RunIdentity.SandboxName(IssueKey.Parse("a/r#1"), "x1"), RunIdentity.SandboxName(IssueKey.Parse("b/r#1"), "x1"));

    [Fact]
    public void Branch_NamesIssueAndShortRunId() =>
        Assert.Equal("agent/issue-9-0123abcd", RunIdentity.Branch(IssueKey.Parse("o/r#9"), "0123abcdef99"));

    [Fact]
    public void NewRunId_IsUnique() => Assert.NotEqual(RunIdentity.NewRunId(), RunIdentity.NewRunId());
}
