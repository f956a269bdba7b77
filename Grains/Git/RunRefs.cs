namespace SandboxAgents.Git;

/// <summary>The refs a mirror keeps for a run: its pinned base, the tip of the sandbox's bundle, and the commit pushed.</summary>
internal static class RunRefs
{
    public static string Base(string runId) => Of(runId, "base");

    public static string Tip(string runId) => Of(runId, "tip");

    public static string Commit(string runId) => Of(runId, "commit");

    public static IEnumerable<string> All(string runId) => [Base(runId), Tip(runId), Commit(runId)];

    private static string Of(string runId, string name) =>
        runId.Length is > 0 and <= 64 && runId.All(char.IsAsciiLetterOrDigit)
            ? $"refs/sandbox-agents/runs/{runId}/{name}"
            : throw new ArgumentException($"'{runId}' is not a run id.", nameof(runId));
}
