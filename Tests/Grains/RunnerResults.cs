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
