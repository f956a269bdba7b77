namespace SandboxAgents.Runner;

/// <summary>Where the runner's files live, relative to the sandbox's working directory. Kept in step with run.sh.</summary>
public static class RunnerFiles
{
    public const string Directory = ".agent-run";
    public const string Script = Directory + "/run.sh";
    public const string Task = Directory + "/task.md";
    public const string BaseBundle = Directory + "/base.bundle";
    public const string ChangesBundle = Directory + "/changes.bundle";
    public const string Result = Directory + "/result.json";
    public const string AgentOutput = Directory + "/agent-output.log";
    public const string SetupCommands = Directory + "/setup";
    public const string ValidateCommands = Directory + "/validate";
    public const string SetupEnvironment = Directory + "/setup.env";
    public const string StopRequest = Directory + "/stop";

    /// <summary>The steering messages' folder: the service writes each message there whole, the runner gives them to the agent in order.</summary>
    public const string Messages = Directory + "/messages";

    /// <summary>The agent's session id as the runner last found it; the runner's own to write.</summary>
    public const string Session = Directory + "/session";

    /// <summary>The file of the <paramref name="index"/>th (from 0) command of a phase folder: <c>01</c>, <c>02</c>, …</summary>
    public static string CommandFile(string phase, int index) => $"{phase}/{index + 1:D2}";

    /// <summary>The file of the <paramref name="index"/>th (from 0) steering message: <c>messages/01</c>, <c>messages/02</c>, …</summary>
    public static string MessageFile(int index) => CommandFile(Messages, index);

    public const string Checkout = "repo";
}

/// <summary>
/// The runner's environment variables; it sets <see cref="AgentTaskFile"/> and <see cref="AgentResumeSession"/> for the
/// agent. Kept in step with run.sh.
/// </summary>
public static class RunnerEnvironment
{
    public const string Branch = "RUN_BRANCH";
    public const string BaseBranch = "RUN_BASE_BRANCH";
    public const string BaseCommit = "RUN_BASE_COMMIT";
    public const string IssueNumber = "RUN_ISSUE_NUMBER";
    public const string CommitMessage = "RUN_COMMIT_MESSAGE";
    public const string AuthorName = "GIT_AUTHOR_NAME";
    public const string AuthorEmail = "GIT_AUTHOR_EMAIL";
    public const string AgentCommand = "AGENT_COMMAND";
    public const string AgentTaskFile = "AGENT_TASK_FILE";
    public const string AgentResumeSession = "AGENT_RESUME_SESSION";
    public const string AgentModel = "AGENT_MODEL";
    public const string AgentMaxTurns = "AGENT_MAX_TURNS";
    public const string AgentMaxBudgetUsd = "AGENT_MAX_BUDGET_USD";
    public const string WrapUpGraceSeconds = "RUN_WRAP_UP_GRACE_SECONDS";
}
