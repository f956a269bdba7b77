using System.Text.Json;
using System.Text.Json.Nodes;
using SandboxAgents.Runner;

namespace SandboxAgents.Tests.Grains;

/// <summary>result.json files as the runner script writes them.</summary>
public static class RunnerResults
{
    public static string Committed(string branch, string summary = "Fixed the typo", bool isError = false, string subtype = "success") =>
        $$$"""
        {"outcome":"committed","branch":"{{{branch}}}","baseBranch":"main","commit":"0123456789abcdef0123456789abcdef01234567","commits":1,"agentExitCode":0,"error":null,
         "agentResult":{"type":"result","subtype":"{{{subtype}}}","is_error":{{{(isError ? "true" : "false")}}},"total_cost_usd":0.1234,"num_turns":7,"result":"{{{summary}}}"}}
        """;

    public static string NoChanges(string branch) =>
        $$$"""
        {"outcome":"no_changes","branch":"{{{branch}}}","baseBranch":"main","commit":null,"commits":0,"agentExitCode":0,"error":null,
         "agentResult":{"type":"result","subtype":"success","is_error":false,"total_cost_usd":0.01,"num_turns":1,"result":"Nothing to do"}}
        """;

    public static string AgentExited(string branch, int code) =>
        $$$"""
        {"outcome":"no_changes","branch":"{{{branch}}}","baseBranch":"main","commit":null,"commits":0,"agentExitCode":{{{code}}},"error":null,"agentResult":null}
        """;
}

/// <summary>A result.json with the runner's setup and validate reports, its agent's stop and its commits, as a test sets them.</summary>
public sealed record RunnerResultFile(string Branch)
{
    public int Commits { get; init; } = 1;
    public int? AgentExitCode { get; init; }
    public string Subtype { get; init; } = "success";
    public bool IsError { get; init; }
    public string[]? Errors { get; init; }
    public bool HasAgentResult { get; init; } = true;
    public string? Error { get; init; }
    public CommandReport? Setup { get; init; }
    public CommandReport[]? Validation { get; init; }
    public bool StoppedEarly { get; init; }
    public int MessagesDelivered { get; init; }

    public string Outcome { get; init; } = RunnerOutcomes.Committed;

    public static CommandReport Passed(string command) => new(command, 0, 1_200, "all good");

    public static CommandReport Failing(string command, string tail, int exitCode = 1) => new(command, exitCode, 3_400, tail);

    public string ToJson()
    {
        var agent = new JsonObject
        {
            ["type"] = "result", ["subtype"] = Subtype, ["is_error"] = IsError || Subtype != "success", ["total_cost_usd"] = 0.42, ["num_turns"] = 12,
        };
        if (Errors is not null) agent["errors"] = new JsonArray([.. Errors.Select(e => JsonValue.Create(e))]);
        if (Errors is null) agent["result"] = "Did what I could";
        var committed = Outcome == RunnerOutcomes.Committed;
        var file = new JsonObject
        {
            ["outcome"] = Outcome, ["branch"] = Branch, ["baseBranch"] = "main", ["commit"] = committed ? "0123456789abcdef0123456789abcdef01234567" : null,
            ["commits"] = committed ? Commits : 0, ["agentExitCode"] = AgentExitCode ?? (Subtype == "success" && !IsError ? 0 : 1), ["error"] = Error,
            ["agentResult"] = HasAgentResult ? agent : null,
            ["setup"] = Setup is null ? null : JsonSerializer.SerializeToNode(Setup),
            ["validation"] = Validation is null ? null : JsonSerializer.SerializeToNode(Validation),
            ["stoppedEarly"] = StoppedEarly,
            ["messagesDelivered"] = MessagesDelivered,
            ["sessionId"] = "0f6b3c1e-5d2a-4c59-9d0e-6a1b2c3d4e5f",
        };
        return file.ToJsonString();
    }
}
