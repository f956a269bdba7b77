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

    [Fact]
    public void TryParse_SetupValidationAndStop_ReadsTheReports()
    {
        const string json = """
            {"outcome":"committed","branch":"b","baseBranch":"main","commit":null,"commits":1,"agentExitCode":143,"error":null,"agentResult":null,
             "setup":{"command":"npm ci","exitCode":0,"durationMs":1200,"tail":"added 3 packages"},
             "validation":[{"command":"npm test","exitCode":0,"durationMs":800,"tail":"ok"},{"command":"npm run lint","exitCode":2,"durationMs":50,"tail":null}],
             "stoppedEarly":true}
            """;

        Assert.True(Parse(json, out var result, out var error), error);
        Assert.Equal(new CommandReport("npm ci", 0, 1200, "added 3 packages"), result!.Setup);
        Assert.Equal([new CommandReport("npm test", 0, 800, "ok"), new CommandReport("npm run lint", 2, 50, null)], result.Validation);
        Assert.True(result.StoppedEarly);
    }

    [Fact]
    public void TryParse_BeforeSetupAndValidation_ReadsNoReports()
    {
        Assert.True(Parse("""{"outcome":"no_changes","commits":0,"setup":null,"validation":null}""", out var result, out _));
        Assert.Equal(((CommandReport?)null, (IReadOnlyList<CommandReport>?)null, false), (result!.Setup, result.Validation, result.StoppedEarly));
    }

    [Fact]
    public void TryParse_SteeredRun_ReadsTheMessagesDeliveredAndTheSession()
    {
        Assert.True(Parse("""{"outcome":"committed","commits":2,"stoppedEarly":false,"messagesDelivered":3,"sessionId":"0f6c-42_ab"}""", out var result, out var error), error);
        Assert.Equal((3, "0f6c-42_ab"), (result!.MessagesDelivered, result.SessionId));
    }

    [Fact]
    public void TryParse_BeforeSteering_ReadsNoMessagesAndNoSession()
    {
        Assert.True(Parse("""{"outcome":"no_changes","commits":0,"stoppedEarly":false}""", out var result, out _));
        Assert.Equal((0, (string?)null), (result!.MessagesDelivered, result.SessionId));
    }

    [Theory]
    [InlineData("""{"outcome":"committed","messagesDelivered":-1}""")]
    [InlineData("""{"outcome":"committed","messagesDelivered":"1"}""")]
    [InlineData("""{"outcome":"committed","messagesDelivered":1,"messagesDelivered":2}""")]
    [InlineData("""{"outcome":"committed","sessionId":""}""")]
    [InlineData("""{"outcome":"committed","sessionId":"a b"}""")]
    [InlineData("""{"outcome":"committed","sessionId":"s; rm -rf ~"}""")]
    [InlineData("""{"outcome":"committed","sessionId":7}""")]
    public void TryParse_MalformedSteering_ReturnsFalseWithReason(string json)
    {
        Assert.False(Parse(json, out var result, out var error));
        Assert.Null(result);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("""{"outcome":"committed","setup":"npm ci"}""")]
    [InlineData("""{"outcome":"committed","setup":{"command":null,"exitCode":0,"durationMs":1}}""")]
    [InlineData("""{"outcome":"committed","setup":{"exitCode":0,"durationMs":1}}""")]
    [InlineData("""{"outcome":"committed","setup":{"command":"x","exitCode":"0","durationMs":1}}""")]
    [InlineData("""{"outcome":"committed","setup":{"command":"x","exitCode":0,"durationMs":-1}}""")]
    [InlineData("""{"outcome":"committed","setup":{"command":"x","exitCode":0,"durationMs":1,"tail":7}}""")]
    [InlineData("""{"outcome":"committed","validation":{"command":"x","exitCode":0,"durationMs":1}}""")]
    [InlineData("""{"outcome":"committed","validation":[null]}""")]
    [InlineData("""{"outcome":"committed","validation":["npm test"]}""")]
    [InlineData("""{"outcome":"committed","validation":[{"command":"x","exitCode":1.5,"durationMs":1}]}""")]
    [InlineData("""{"outcome":"committed","validation":[{"command":"x","exitCode":0,"durationMs":1,"command":"y"}]}""")]
    [InlineData("""{"outcome":"committed","stoppedEarly":"true"}""")]
    [InlineData("""{"outcome":"committed","stoppedEarly":null}""")]
    public void TryParse_MalformedReports_ReturnsFalseWithReason(string json)
    {
        Assert.False(Parse(json, out var result, out var error));
        Assert.Null(result);
        Assert.False(string.IsNullOrWhiteSpace(error));
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
