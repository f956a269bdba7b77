namespace SandboxAgents.Runs;

/// <summary>Section <c>Agent</c>: what runs in the checkout, and for how long at most.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    public const int DefaultMaxTurns = 50;

    /// <summary>The wrap-up grace of runs stored before they had one.</summary>
    public static readonly TimeSpan DefaultWrapUpGrace = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The claude CLI, headless: the task on stdin, one JSON event a line on stdout (the last one its result object),
    /// with the run's model, turn and budget limits from the runner's environment; a steering message resumes the
    /// session the runner names. <c>IS_SANDBOX=1</c> lets it skip permission prompts as root, which is only acceptable
    /// because it runs in a throw-away sandbox.
    /// </summary>
    public const string DefaultCommand =
        "IS_SANDBOX=1 claude -p --output-format stream-json --verbose --max-turns \"${AGENT_MAX_TURNS:-50}\" " +
        "${AGENT_MAX_BUDGET_USD:+--max-budget-usd \"$AGENT_MAX_BUDGET_USD\"} ${AGENT_MODEL:+--model \"$AGENT_MODEL\"} " +
        "${AGENT_RESUME_SESSION:+--resume \"$AGENT_RESUME_SESSION\"} " +
        "--permission-mode bypassPermissions < \"$AGENT_TASK_FILE\"";

    /// <summary>Shell command run in the checkout; it reads its task from the file named by <c>AGENT_TASK_FILE</c>.</summary>
    public string Command { get; set; } = DefaultCommand;

    /// <summary>A run's wall-clock limit, from provisioning to its end (a repository's <c>timeout</c> replaces it, up to <see cref="MaxTimeout"/>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest wall-clock limit a repository may ask for.</summary>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The model the agent is asked to use; null: the agent's own default. A repository or a command may name another.</summary>
    public string? Model { get; set; }

    /// <summary>The agent's turn limit, and the most a repository may ask for.</summary>
    public int MaxTurns { get; set; } = DefaultMaxTurns;

    /// <summary>The agent's spending limit per run in US dollars, and the most a repository may ask for; null: none.</summary>
    public decimal? MaxBudgetUsd { get; set; }

    /// <summary>How long the agent has to finish once asked to stop at the deadline, before the runner commits what exists.</summary>
    public TimeSpan WrapUpGrace { get; set; } = DefaultWrapUpGrace;

    /// <summary>
    /// Variables the repository's <c>setup</c> commands get and the agent never sees (a registry token, say). Secrets:
    /// every process of the setup is ended before the agent starts.
    /// </summary>
    public IDictionary<string, string> SetupEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Variables the agent needs (e.g. <c>ANTHROPIC_API_KEY</c>). Secrets: passed to the sandbox only, never stored or shown.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
