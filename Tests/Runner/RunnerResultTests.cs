using System.Text;
using SandboxAgents.Runner;

namespace SandboxAgents.Tests.Runner;

public sealed class RunnerResultTests
{
    private static bool Parse(string json, out RunnerResult? result, out string? error) =>
        RunnerResult.TryParse(Encoding.UTF8.GetBytes(json), out result, out error);

    [Fact]
    public void TryParse_RunnerOutput_ReadsEveryField()
    {
        const string json = """
            {"outcome":"committed","branch":"agent/issue-12-ab12cd34","baseBranch":"main","commit":"0123456789abcdef0123456789abcdef01234567",
             "commits":2,"agentExitCode":0,"error":null,"agentResult":{"type":"result","subtype":"success","is_error":false,
             "total_cost_usd":0.1234,"num_turns":7,"result":"Done","session_id":"s-1","permission_denials":[{},{}],"usage":{"input_tokens":5}}}
            """;

        Assert.True(Parse(json, out var result, out var error));
        Assert.Null(error);
        Assert.Equal(
            (RunnerOutcomes.Committed, "agent/issue-12-ab12cd34", "main", "0123456789abcdef0123456789abcdef01234567", 2, 0, (string?)null),
            (result!.Outcome, result.Branch, result.BaseBranch, result.Commit, result.Commits, result.AgentExitCode, result.Error));
        Assert.Equal(("success", false, 0.1234m, 7, "Done", 2), (result.AgentResult!.Subtype, result.AgentResult.IsError,
            result.AgentResult.TotalCostUsd, result.AgentResult.NumTurns, result.AgentResult.Result, result.AgentResult.PermissionDenials));
    }

    [Fact]
    public void TryParse_ErrorWithoutAgent_ReadsNulls()
    {
        const string json = """
            {"outcome":"error","branch":"b","baseBranch":null,"commit":null,"commits":0,"agentExitCode":null,"error":"clone: fatal: nope","agentResult":null}
            """;

        Assert.True(Parse(json, out var result, out _));
        Assert.Equal((RunnerOutcomes.Error, "clone: fatal: nope", (int?)null, (AgentResult?)null),
            (result!.Outcome, result.Error, result.AgentExitCode, result.AgentResult));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("""{"outcome":null}""")]
    [InlineData("""{"outcome":"succeeded"}""")]
    [InlineData("""{"outcome":"committed" """)]
    [InlineData("""{"outcome":"committed","commits":"1"}""")]
    [InlineData("""{"outcome":"committed","commits":1e99}""")]
    [InlineData("""{"outcome":"committed","commits":-1}""")]
    [InlineData("""{"outcome":"committed","commits":1,"commits":99}""")]
    [InlineData("""{"outcome":"committed","agentResult":5}""")]
    [InlineData("""{"outcome":"committed","agentResult":{"type":"result"},"x":1}}""")]
    [InlineData("""{"outcome":"committed","agentResult":{"total_cost_usd":1e400}}""")]
    [InlineData("""{"outcome":"committed","agentResult":{"is_error":"no"}}""")]
    [InlineData("""{"outcome":"committed","branch":"\ud800"}""")]
    public void TryParse_MalformedInput_ReturnsFalseWithReason(string json)
    {
        Assert.False(Parse(json, out var result, out var error));
        Assert.Null(result);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_InvalidUtf8_ReturnsFalse()
    {
        byte[] json = [.. "{\"outcome\":\""u8, 0xff, 0xfe, .. "\"}"u8];

        Assert.False(RunnerResult.TryParse(json, out var result, out var error));
        Assert.Null(result);
        Assert.NotNull(error);
    }

    [Fact]
    public void TryParse_DeepNesting_ReturnsFalse()
    {
        var json = """{"outcome":"committed","agentResult":{"x":""" + new string('[', 10_000) + new string(']', 10_000) + "}}";

        Assert.False(Parse(json, out var result, out var error));
        Assert.Null(result);
        Assert.Contains("depth", error, StringComparison.OrdinalIgnoreCase);
    }
}
