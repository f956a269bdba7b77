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
}
