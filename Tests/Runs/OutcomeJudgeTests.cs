using SandboxAgents.Runner;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class OutcomeJudgeTests
{
    private static RunnerResult Result(string outcome = RunnerOutcomes.Committed, int commits = 1, int? exit = 0, AgentResult? agent = null, string? error = null) =>
        new(outcome, "agent/issue-1-abc", "main", commits > 0 ? "abc" : null, commits, exit, error, agent);

    private static AgentResult Agent(string subtype = "success", bool isError = false, int denials = 0) =>
        new(subtype, isError, 0.5m, 3, "done",
            denials == 0 ? null : System.Text.Json.JsonDocument.Parse("[" + string.Join(',', Enumerable.Repeat("{}", denials)) + "]").RootElement);

    [Fact]
    public void Judge_ExitZeroSuccessWithCommits_Succeeded() => Assert.Equal(RunState.Succeeded, OutcomeJudge.Judge(Result(agent: Agent())).State);

    [Fact]
    public void Judge_NoResultObjectButCommits_Succeeded() => Assert.Equal(RunState.Succeeded, OutcomeJudge.Judge(Result()).State);

    [Fact]
    public void Judge_NoCommits_NoChanges() =>
        Assert.Equal(RunState.NoChanges, OutcomeJudge.Judge(Result(RunnerOutcomes.NoChanges, commits: 0, agent: Agent())).State);

    [Theory]
    [InlineData("success", true, 0, "reported an error")]          // API error reported as success with is_error (claude-code#79500)
    [InlineData("error_max_turns", false, 0, "error_max_turns")]
    [InlineData("error_max_budget_usd", false, 0, "error_max_budget_usd")]
    [InlineData("success", false, 2, "denied 2 tool call")]          // dontAsk denials exit 0 (claude-code#76867)
    public void Judge_AgentResultNotCleanSuccess_FailsEvenWithCommits(string subtype, bool isError, int denials, string reason)
    {
        var verdict = OutcomeJudge.Judge(Result(agent: Agent(subtype, isError, denials)));

        Assert.Equal(RunState.Failed, verdict.State);
        Assert.Contains(reason, verdict.Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(137)]
    public void Judge_AgentExitNonZero_Failed(int exit) =>
        Assert.Contains($"code {exit}", OutcomeJudge.Judge(Result(exit: exit, agent: Agent())).Reason);

    [Fact]
    public void Judge_AgentExitUnknown_Failed() => Assert.Equal(RunState.Failed, OutcomeJudge.Judge(Result(exit: null)).State);

    [Fact]
    public void Judge_RunnerError_FailedWithItsMessage()
    {
        var verdict = OutcomeJudge.Judge(Result(RunnerOutcomes.Error, commits: 0, exit: null, error: "could not clone the repository"));

        Assert.Equal(RunState.Failed, verdict.State);
        Assert.Contains("could not clone", verdict.Reason);
    }

    /// <summary>What the real CLI prints when it stops (agents/CLAUDE-CLI.md): the reason is in errors[] or result, the exit code is 1.</summary>
    [Theory]
    [InlineData("error_max_turns", true, null, "[\"Reached maximum number of turns (50)\"]", "Reached maximum number of turns (50) (error_max_turns, exit code 1).")]
    [InlineData("error_max_budget_usd", true, null, "[\"Reached maximum budget ($1)\"]", "Reached maximum budget ($1) (error_max_budget_usd, exit code 1).")]
    [InlineData("success", true, "Invalid API key · Fix external API key", null, "Invalid API key · Fix external API key (success, exit code 1).")]
    [InlineData("success", true, "Not logged in · Please run /login", null, "Not logged in · Please run /login (success, exit code 1).")]
    public void Judge_TheCliSaysWhy_TheReasonIsItsWordsThenTheExitCode(string subtype, bool isError, string? said, string? errors, string expected)
    {
        var agent = new System.Text.Json.Nodes.JsonObject { ["type"] = "result", ["subtype"] = subtype, ["is_error"] = isError, ["num_turns"] = 51, ["total_cost_usd"] = 0.9 };
        if (said is not null) agent["result"] = said;
        if (errors is not null) agent["errors"] = System.Text.Json.Nodes.JsonNode.Parse(errors);
        var line = new System.Text.Json.Nodes.JsonObject
        {
            ["outcome"] = "no_changes", ["branch"] = "agent/issue-1-abc", ["baseBranch"] = "main", ["commits"] = 0, ["agentExitCode"] = 1, ["agentResult"] = agent,
        }.ToJsonString();
        Assert.True(RunnerResult.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out var result, out var error), error);

        var verdict = OutcomeJudge.Judge(result);

        Assert.Equal(RunState.Failed, verdict.State);
        Assert.Equal($"The agent reported an error: {expected}", verdict.Reason);
    }

    [Fact]
    public void Judge_ExitNonZero_ResultWithoutAReason_FallsBackToTheExitCode() =>
        Assert.Equal("The agent exited with code 2.", OutcomeJudge.Judge(Result(exit: 2, agent: Agent())).Reason);
}

public sealed class OutcomeJudgeLimitTests
{
    private static readonly RunSettings Settings = new("claude", TimeSpan.FromMinutes(45), DraftPullRequest: true, MaxStepFailures: 5, LogTailLines: 20, MaxTurns: 30, MaxBudgetUsd: 1.5m);

    private static RunnerResult Result(string subtype, string said, int commits = 1) =>
        new(commits > 0 ? RunnerOutcomes.Committed : RunnerOutcomes.NoChanges, "agent/issue-1-abc", "main", commits > 0 ? "abc" : null, commits, 1, null,
            new AgentResult(subtype, true, 1.5m, 31, null, null, [said]));

    [Theory]
    [InlineData("error_max_turns", "Reached maximum number of turns (30)", "the agent reached its turn limit (30)")]
    [InlineData("error_max_budget_usd", "Reached maximum budget ($1.5)", "the agent reached its budget limit ($1.50)")]
    public void Judge_LimitWithCommits_FailedWithTheAgentsWords_WorkKeptAsIncomplete(string subtype, string said, string limit)
    {
        var verdict = OutcomeJudge.Judge(Result(subtype, said), Settings);

        Assert.Equal(new Verdict(RunState.Failed, $"The agent reported an error: {said} ({subtype}, exit code 1).", limit), verdict);
        Assert.True(verdict.Publishes);
    }

    [Fact]
    public void Judge_LimitWithoutCommits_NothingToKeep()
    {
        var verdict = OutcomeJudge.Judge(Result("error_max_turns", "Reached maximum number of turns (30)", commits: 0), Settings);

        Assert.Equal(RunState.Failed, verdict.State);
        Assert.Null(verdict.Incomplete);
        Assert.False(verdict.Publishes);
    }

    [Fact]
    public void Judge_ApiErrorWithCommits_NotALimit_NothingKept() =>
        Assert.Null(OutcomeJudge.Judge(Result("success", "Invalid API key · Fix external API key"), Settings).Incomplete);

    [Fact]
    public void AtDeadline_WithCommits_TimedOutAndIncomplete_WhateverTheAgentSaid()
    {
        var verdict = OutcomeJudge.AtDeadline(Result("success", "interrupted"), Settings);

        Assert.Equal(new Verdict(RunState.TimedOut, "Stopped at the time limit of 00:45:00.", "the run reached its time limit (00:45:00)"), verdict);
    }

    [Fact]
    public void AtDeadline_WithoutCommits_TimedOutAsBefore() =>
        Assert.Equal(new Verdict(RunState.TimedOut, "Stopped at the time limit of 00:45:00."), OutcomeJudge.AtDeadline(Result("success", "x", commits: 0), Settings));

    [Fact]
    public void Judge_SetupFailed_NamesTheCommandAndItsLastLines()
    {
        var tail = string.Join('\n', Enumerable.Range(1, 14).Select(i => $"line {i}")) + "\n";
        var result = new RunnerResult(RunnerOutcomes.Error, "b", "main", null, 0, null, "setup: command 2 exited 127", null, new CommandReport("make deps", 127, 40, tail));

        var verdict = OutcomeJudge.Judge(result, Settings);

        Assert.Equal(RunState.Failed, verdict.State);
        Assert.Equal("The setup command `make deps` failed with exit code 127. Its last lines:\n```\n" + string.Join('\n', Enumerable.Range(5, 10).Select(i => $"line {i}")) + "\n```", verdict.Reason);
        Assert.Null(verdict.Incomplete);
    }

    [Fact]
    public void Judge_SetupPassed_ButTheRunnerFailedLater_TheRunnersReason()
    {
        var result = new RunnerResult(RunnerOutcomes.Error, "b", "main", null, 0, 0, "commit: git failed", null, new CommandReport("make deps", 0, 40, "ok"));

        Assert.Equal("The runner failed: commit: git failed.", OutcomeJudge.Judge(result, Settings).Reason);
    }
}
