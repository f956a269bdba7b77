namespace SandboxAgents.Runs;

/// <summary>Section <c>Agent</c>: what runs in the checkout, and for how long at most.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>
    /// The claude CLI, headless: the task on stdin, one JSON result object on stdout, turns capped. <c>IS_SANDBOX=1</c>
    /// lets it skip permission prompts as root, which is only acceptable because it runs in a throw-away sandbox.
    /// </summary>
    public const string DefaultCommand =
        "IS_SANDBOX=1 claude -p --output-format json --max-turns 50 --permission-mode bypassPermissions < \"$AGENT_TASK_FILE\"";

    /// <summary>Shell command run in the checkout; it reads its task from the file named by <c>AGENT_TASK_FILE</c>.</summary>
    public string Command { get; set; } = DefaultCommand;

    /// <summary>A run's wall-clock limit, from provisioning to its end.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Variables the agent needs (e.g. <c>ANTHROPIC_API_KEY</c>). Secrets: passed to the sandbox only, never stored or shown.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
