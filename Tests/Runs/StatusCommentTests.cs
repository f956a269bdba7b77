using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class StatusCommentTests
{
    private const string Hostile = "Done. Fixes #12, closes octo/other#3. Resolves: https://github.com/o/r/issues/4\n"
        + "Thanks @someone and @org/team!\n</details><img src=x>\n<!-- hidden -->\n![x](https://evil/t.png)\n```\nnever closed";

    private static string Render(RunRecord run) => StatusComment.Render(run, "/agent", "https://dash.example/runs/1", RunRecords.Start.AddMinutes(3));

    /// <summary>Nothing for GitHub to act on but what the service itself wrote: who asked for the run, and its pull request.</summary>
    private static void AssertSafe(string comment) =>
        Assert.Equal([], GitHubRendering.Hazards(comment
            .Replace("requested by @maintainer", "", StringComparison.Ordinal)
            .Replace("Pull request: https://github.com/octo/widgets/pull/8", "", StringComparison.Ordinal)));

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void Render_HostileSummary_StaysInsideItsDetailsBlock_AndGitHubFindsNothingToActOn()
    {
        var comment = Render(RunRecords.In(RunState.Succeeded, summary: Hostile));

        Assert.Equal(1, Count(comment, "<details>"));
        Assert.Equal(1, Count(comment, "</details>"));
        var inside = comment[comment.IndexOf("<details>", StringComparison.Ordinal)..comment.IndexOf("</details>", StringComparison.Ordinal)];
        Assert.Contains("Fixes #&#8203;12", inside);
        Assert.Contains("<pre>\nnever closed\n</pre>", inside);
        AssertSafe(comment);
        Assert.Contains("To try again, comment `/agent retry`.", comment);
    }

    [Fact]
    public void Render_ErrorWithTheAgentsWords_EveryLineQuoted_AndDefused()
    {
        var comment = Render(RunRecords.In(RunState.Failed, error: "The agent gave up: ping @admin, see #3\n<img src=x>"));

        Assert.Contains("> The agent gave up: ping @&#8203;admin, see #&#8203;3\n> &lt;img src=x&gt;", comment);
        AssertSafe(comment);
    }

    [Fact]
    public void Render_RunningActivity_IsOneCodeSpan_Capped()
    {
        var line = "run `rm -rf /` for @someone #5 " + new string('x', 300);

        var comment = Render(RunRecords.In(RunState.Running, logTail: ["earlier", line, "  "]));

        var now = comment.Split('\n').Single(l => l.StartsWith("Now: ", StringComparison.Ordinal));
        Assert.StartsWith("Now: `run 'rm -rf /' for @\u200Bsomeone #\u200B5 xxx", now);
        Assert.EndsWith("…`", now);
        Assert.Equal(2, Count(now, "`"));
        AssertSafe(comment);
    }

    [Fact]
    public void Render_BlockedHosts_NamedAsCode_ThenHowManyMore()
    {
        string[] hosts = ["evil.example", "x`y.example", "@someone", .. Enumerable.Range(1, 10).Select(i => $"h{i}.example")];

        var comment = Render(RunRecords.In(RunState.Failed, error: "Failed", blockedHosts: hosts));

        Assert.Contains("The sandbox's network filter blocked: `evil.example`, `x'y.example`, `@\u200Bsomeone`, `h1.example`,", comment);
        Assert.Contains("`h7.example` and 3 more.", comment);
        Assert.DoesNotContain("h8.example", comment);
        AssertSafe(comment);
    }

    [Fact]
    public void Render_NoBlockedHosts_NoLineAboutThem() =>
        Assert.DoesNotContain("network filter", Render(RunRecords.In(RunState.Succeeded, summary: "ok")));

    [Fact]
    public void Render_BenignSummary_ReadsAsWritten()
    {
        var comment = Render(RunRecords.In(RunState.Succeeded, summary: "Fixed the typo in `README.md`.\n\n- added a test"));

        Assert.Contains("<details><summary>What the agent said</summary>\n\nFixed the typo in <code>README.md</code>.\n\n- added a test\n\n</details>", comment);
    }

    [Fact]
    public void Render_CostLine_NamesTheRunsModel_OrTheAgentsDefault()
    {
        var run = RunRecords.In(RunState.Succeeded);
        run.StoredSettings = new RunSettings("agent", TimeSpan.FromHours(1), true, 5, 20, Model: "claude-x");

        Assert.Contains("Cost: $0.12 · turns: 4 · model: claude-x\n", Render(run));
        run.StoredSettings = run.StoredSettings with { Model = null };
        Assert.Contains("Cost: $0.12 · turns: 4 · model: the agent's default\n", Render(run));
        Assert.Contains("· model: the agent's default · duration:", PullRequestText.Body(IssueKey.Parse("octo/widgets#8"), run, RunRecords.Start.AddMinutes(3)));
    }
}
