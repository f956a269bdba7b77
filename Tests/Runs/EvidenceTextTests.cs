using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

/// <summary>The checks, banners and branch link as the status comment and the pull request body show them.</summary>
public sealed class EvidenceTextTests
{
    private static readonly IssueKey Issue = IssueKey.Parse("octo/widgets#7");

    private static string Comment(RunRecord run) => StatusComment.Render(run, "/agent", null, RunRecords.Start.AddMinutes(3));

    private static string Body(RunRecord run) => PullRequestText.Body(Issue, run, RunRecords.Start.AddMinutes(5));

    private static RunRecord Published(RunState state, params CheckSummary[] checks)
    {
        var run = RunRecords.In(state);
        run.CommitSha = "0123456789abcdef0123456789abcdef01234567";
        run.Branch = "agent/issue-7-01234567";
        run.BranchUrl = "https://github.com/octo/widgets/tree/agent/issue-7-01234567";
        run.Checks = [.. checks];
        run.StoredSettings = new RunSettings("claude", TimeSpan.FromHours(1), DraftPullRequest: false, MaxStepFailures: 5, LogTailLines: 20);
        return run;
    }

    private static CheckSummary Check(string phase, string command, int exitCode = 0, string? tail = null, double seconds = 2) =>
        new(phase, command, exitCode, TimeSpan.FromSeconds(seconds), tail);

    /// <summary>Nothing for GitHub to act on but what the service itself wrote.</summary>
    private static void AssertSafe(string text) =>
        Assert.Equal([], GitHubRendering.Hazards(text
            .Replace("requested by @maintainer", "", StringComparison.Ordinal)
            .Replace("asked for by @maintainer", "", StringComparison.Ordinal)
            .Replace("Closes #7", "", StringComparison.Ordinal)
            .Replace("Part of #7", "", StringComparison.Ordinal)
            .Replace("Pull request: https://github.com/octo/widgets/pull/8", "", StringComparison.Ordinal)));

    [Fact]
    public void HostileCommandAndOutput_StayInsideTheirBlock_AndGitHubFindsNothingToActOn()
    {
        const string Output = "ok\n```\n</details><img src=x> @admin fixes #3\n````\n<!-- hidden -->";
        var run = Published(RunState.Succeeded,
            Check(CheckPhases.Validate, "npm test `@admin` #4", exitCode: 2, tail: Output),
            Check(CheckPhases.Validate, "echo <b>hi</b>", exitCode: 1, tail: "```"));

        foreach (var text in new[] { Comment(run), Body(run) })
        {
            AssertSafe(text);
            Assert.Equal(2, text.Split("<details><summary>Last lines of").Length - 1);
            Assert.Equal(2, text.Split("<pre>").Length - 1);
            Assert.Equal(2, text.Split("</pre>").Length - 1);
            // The fence outlasts every run of backticks in the output: its fenced lines stay inside the block, escaped.
            Assert.Contains("<pre>\nok\n```\n&lt;/details&gt;&lt;img src=x&gt; @&#8203;admin fixes #&#8203;3\n````\n&lt;!-- hidden --&gt;\n</pre>", text);
            Assert.Contains("<pre>\n```\n</pre>", text);
            Assert.Contains("<summary>Last lines of <code>echo &lt;b&gt;hi&lt;/b&gt;</code></summary>", text);
            Assert.Contains("❌ validate <code>npm test '@&#8203;admin' #&#8203;4</code> (2.0s, exit code 2)", text);
        }
    }

    [Fact]
    public void FailedValidation_UnverifiedBannerNamesTheFirstFailingCommand_AndCountsTheOthers()
    {
        var run = Published(RunState.Succeeded,
            Check(CheckPhases.Setup, "npm ci", seconds: 75),
            Check(CheckPhases.Validate, "npm run lint"),
            Check(CheckPhases.Validate, "npm test", exitCode: 1, tail: "1 failing"),
            Check(CheckPhases.Validate, "npm run e2e", exitCode: 3, tail: "timeout"));

        var comment = Comment(run);

        Assert.Contains("⚠️ **Unverified**: <code>npm test</code> failed (exit code 1) and 1 more, so the pull request is a draft.", comment);
        Assert.Contains("- ✅ setup <code>npm ci</code> (1m 15s)\n- ✅ validate <code>npm run lint</code> (2.0s)\n- ❌ validate <code>npm test</code> (2.0s, exit code 1)\n", comment);
        Assert.Contains("Done, but unverified", comment);
        Assert.True(PullRequestText.IsDraft(run));
        Assert.StartsWith("[Unverified] ", PullRequestText.Title(Issue, run));
    }

    [Fact]
    public void PassedValidation_NoBanner_NotADraftUnlessConfigured()
    {
        var run = Published(RunState.Succeeded, Check(CheckPhases.Validate, "npm test"));

        Assert.DoesNotContain("⚠️", Comment(run) + Body(run));
        Assert.DoesNotContain(EvidenceText.NotValidated, Comment(run) + Body(run));
        Assert.False(PullRequestText.IsDraft(run));
        run.StoredSettings = run.Settings with { DraftPullRequest = true };
        Assert.True(PullRequestText.IsDraft(run));
    }

    [Fact]
    public void Incomplete_BodyDoesNotCloseTheIssue_AndNamesTheLimit()
    {
        var run = Published(RunState.Failed);
        run.IncompleteBecause = "the agent reached its turn limit (50)";

        var body = Body(run);

        Assert.Equal([], GitHubRendering.ClosingReferences(body));
        Assert.StartsWith("Part of #7 (incomplete: merging it does not close the issue)\n", body.ReplaceLineEndings("\n"));
        Assert.Contains("⚠️ **Incomplete**: the agent reached its turn limit (50). This draft holds the agent's work so far; the issue is not done.", body);
        Assert.StartsWith("[Incomplete] ", PullRequestText.Title(Issue, run));
        Assert.True(PullRequestText.IsDraft(run));
    }

    [Fact]
    public void FailedRunWithAPushedBranchButNoPullRequest_LinksTheBranch()
    {
        var run = Published(RunState.Failed);
        run.Error = "Publishing failed: GitHub answered 502";

        var comment = Comment(run);

        Assert.Contains("The agent's work was pushed to the branch [`agent/issue-7-01234567`](https://github.com/octo/widgets/tree/agent/issue-7-01234567), but no pull request could be opened for it.", comment);
        Assert.DoesNotContain("pushed to the branch", Comment(RunRecords.In(RunState.Failed, error: "no commits")));
    }

    [Fact]
    public void ManyChecks_ListedUpToTheCap_ThenCounted()
    {
        var run = Published(RunState.Succeeded, [.. Enumerable.Range(1, EvidenceText.MaxChecksShown + 3).Select(i => Check(CheckPhases.Validate, $"check {i}"))]);

        var comment = Comment(run);

        Assert.Contains($"<code>check {EvidenceText.MaxChecksShown}</code>", comment);
        Assert.DoesNotContain($"<code>check {EvidenceText.MaxChecksShown + 1}</code>", comment);
        Assert.Contains("- and 3 more", comment);
    }

    [Fact]
    public void NoValidationResults_SaysNotValidated()
    {
        var run = Published(RunState.Succeeded);
        Assert.Contains(EvidenceText.NotValidated, Comment(run));
    }

    [Fact]
    public void ValidateCommandThatDidNotRun_IsUnverified_AndSaysSo()
    {
        var run = Published(RunState.Succeeded);
        run.Checks = [new CheckSummary(CheckPhases.Validate, "npm test", CheckSummary.NotRun, TimeSpan.Zero, RunChecks.NotRunTail)];

        var comment = Comment(run);

        Assert.Contains("⚠️ **Unverified**: <code>npm test</code> did not run", comment);
        Assert.Contains("❌ validate <code>npm test</code> (0.0s, did not run)", comment);
        Assert.DoesNotContain(EvidenceText.NotValidated, comment);
    }
}
