namespace SandboxAgents.Sandboxes;

/// <summary>The labels every sandbox of this service carries, so that its owner can always be found from the sandbox.</summary>
public static class SandboxLabels
{
    public const string Service = "sandbox-agents.service";
    public const string Instance = "sandbox-agents.instance";
    public const string Issue = "sandbox-agents.issue";
    public const string Run = "sandbox-agents.run";
    public const string ServiceValue = "sandbox-agents";

    public static IReadOnlyDictionary<string, string> For(string instanceId, IssueKey issue, string runId) =>
        new Dictionary<string, string>
        {
            [Service] = ServiceValue,
            [Instance] = instanceId,
            [Issue] = issue.ToString(),
            [Run] = runId,
        };
}
