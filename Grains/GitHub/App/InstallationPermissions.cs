namespace SandboxAgents.GitHub.App;

/// <summary>What an installation token may do: the least each kind of call needs, never workflows or administration.</summary>
public static class InstallationPermissions
{
    /// <summary>A run's token: push its branch, open its pull request, write its comment.</summary>
    public static readonly IReadOnlyDictionary<string, string> Run = new Dictionary<string, string>
    {
        ["contents"] = "write",
        ["issues"] = "write",
        ["pull_requests"] = "write",
        ["metadata"] = "read",
    };

    /// <summary>
    /// Calls not tied to a run: permission lookups, reading an issue, the 👀 reaction, and reading the reviews and failing
    /// checks an iteration on the agent's pull request is to address.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Service = new Dictionary<string, string>
    {
        ["issues"] = "write",
        ["pull_requests"] = "read",
        ["checks"] = "read",
        ["metadata"] = "read",
    };
}
