using System.Globalization;
using SandboxAgents.Runs;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Messages;

namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>
/// The real Claude Code CLI as the service's default agent command, end to end: its tool calls run in the sandbox, its
/// limits and failures reach the issue in its own words, and what it does shows while it works.
/// </summary>
[Collection(ClaudeCliCollection.Name)]
public sealed class ClaudeCliTests(ClaudeCliServiceFixture service)
{
    [ClaudeCliFact]
    public async Task HappyPath_BashThenWrite_PushesTheFiles_OpensPullRequestWithCostAndModel()
    {
        var script = service.Messages.Play("[cli-happy]", ModelScript.Of(
            ModelTurn.Bash("printf 'made by bash\\n' > bash-note.txt", "Write a note with Bash"),
            ModelTurn.Write("NOTES.md", "Written by the Write tool.\n"),
            ModelTurn.Say("Added bash-note.txt and NOTES.md.")));

        await service.LabelAsync(1101, "Add the notes [cli-happy]");
        var done = await service.EndedAsync(1101, "Succeeded");

        var branch = done["branch"]!.GetValue<string>();
        Assert.Equal("made by bash\n", service.Git.Show(branch, "bash-note.txt"));
        Assert.Equal("Written by the Write tool.\n", service.Git.Show(branch, "NOTES.md"));
        Assert.Equal(3, script.Requests);
        Assert.All(script.Models, model => Assert.Equal(ClaudeCliServiceFixture.AgentModel, model));

        var run = done.Run();
        var cost = run["costUsd"]!.GetValue<decimal>();
        Assert.True(cost > 0, $"the CLI's cost, {cost}");
        Assert.Equal(3, run["turns"]!.GetValue<int>());
        Assert.Equal(ClaudeCliServiceFixture.AgentModel, run["model"]!.GetValue<string>());
        var pull = service.PullRequestOf(branch);
        var body = pull["body"]!.GetValue<string>();
        var spend = $"Cost: {StatusComment.FormatCost(cost)} · turns: 3 · model: {ClaudeCliServiceFixture.AgentModel}";
        Assert.Contains(spend, body);
        Assert.Contains("Added bash-note.txt and NOTES.md.", body);

        var comment = await service.CommentSayingAsync(1101, pull["html_url"]!.GetValue<string>());
        Assert.Contains("Done: a pull request is ready for review", comment);
        Assert.Contains(spend, comment);
    }

    [ClaudeCliFact]
    public async Task MaxTurns_TheModelNeverStops_TheIssueGetsTheCliReason()
    {
        var script = service.Messages.Play("[cli-max-turns]", ModelScript.Endless());

        await service.LabelAsync(1102, "Keep going forever [cli-max-turns]");
        var done = await service.EndedAsync(1102, "Failed");

        var limit = $"Reached maximum number of turns ({ClaudeCliServiceFixture.MaxTurns.ToString(CultureInfo.InvariantCulture)})";
        var error = done["error"]!.GetValue<string>();
        Assert.Contains(limit, error);
        Assert.Contains("exit code 1", error);
        Assert.Equal(ClaudeCliServiceFixture.MaxTurns, script.Requests);
        Assert.Contains(limit, await service.CommentSayingAsync(1102, "Failed"));
    }

    [ClaudeCliFact]
    public async Task Budget_OneTurnCostsMoreThanTheLimit_TheIssueGetsTheCliReason()
    {
        // The CLI prices a turn by the usage the API reports: 200,000 output tokens of Sonnet are about $3.
        var script = service.Messages.Play("[cli-budget]", ModelScript.Of(
            ModelTurn.Bash("echo expensive > expensive.txt", "An expensive step") with { OutputTokens = 200_000 },
            ModelTurn.Say("Done.")));

        await service.LabelAsync(1103, "Spend a lot [cli-budget]");
        var done = await service.EndedAsync(1103, "Failed");

        var limit = $"Reached maximum budget (${ClaudeCliServiceFixture.MaxBudgetUsd.ToString(CultureInfo.InvariantCulture)})";
        Assert.Contains(limit, done["error"]!.GetValue<string>());
        Assert.True(done.Run()["costUsd"]!.GetValue<decimal>() > ClaudeCliServiceFixture.MaxBudgetUsd);
        Assert.Equal(1, script.Requests);
        Assert.Contains(UntrustedText.Markdown(limit, limit.Length), await service.CommentSayingAsync(1103, "Failed")); // its '$' escaped
    }

    [ClaudeCliFact]
    public async Task InvalidKey_TheApiRefusesTheServiceKey_TheIssueGetsTheCliReasonAtOnce()
    {
        var script = service.Messages.Play("[cli-bad-key]", ModelScript.Of(
            ModelTurn.Refuse(401, "authentication_error", "invalid x-api-key")));

        await service.LabelAsync(1104, "Anything [cli-bad-key]");
        var done = await service.EndedAsync(1104, "Failed");

        const string reason = "Invalid API key · Fix external API key";
        Assert.Contains(reason, done["error"]!.GetValue<string>());
        Assert.Equal(1, script.Requests); // the API said x-should-retry: false, so the CLI did not retry for minutes
        Assert.Contains(reason, await service.CommentSayingAsync(1104, "Failed"));
    }

    [ClaudeCliFact]
    public async Task SlowTurns_TheCommentsNowLineFollowsTheAgent_WhileItWorks()
    {
        var secondTurn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastTurn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = service.Messages.Play("[cli-slow]", ModelScript.Of(
            ModelTurn.Bash("echo first-step", "The first step"),
            ModelTurn.Bash("echo second-step | tee second.txt", "The second step") with { Gate = secondTurn.Task },
            ModelTurn.Say("Both steps done.") with { Gate = lastTurn.Task }));
        try
        {
            await service.LabelAsync(1105, "Take two slow steps [cli-slow]");

            await script.AskedForAsync(1).WaitAsync(Eventually.DefaultBound);
            await NowLineShowsAsync(1105, "first-step");

            secondTurn.SetResult();
            await script.AskedForAsync(2).WaitAsync(Eventually.DefaultBound);
            await NowLineShowsAsync(1105, "second-step");
        }
        finally
        {
            secondTurn.TrySetResult();
            lastTurn.TrySetResult();
        }

        await service.EndedAsync(1105, "Succeeded");
    }

    /// <summary>
    /// Waits for the run to have seen the agent's latest step, then lets the comment's refresh interval pass on the
    /// runs' clock (an edit for activity alone waits for it) and waits for the comment's "Now:" line to show it.
    /// </summary>
    private async Task NowLineShowsAsync(int number, string step)
    {
        await Eventually.MatchesAsync(() => service.TaskAsync(ServiceFixture.Repository, number),
            t => t?["logTail"]?.ToJsonString().Contains(step, StringComparison.Ordinal) == true, $"the run to see '{step}'");
        service.Clock.Advance(new RunOptions().CommentRefreshInterval);
        await Eventually.TrueAsync(() => service.NowLine(number)?.Contains(step, StringComparison.Ordinal) == true,
            $"the comment's Now line to show '{step}' (it is: {service.NowLine(number)})");
    }
}
