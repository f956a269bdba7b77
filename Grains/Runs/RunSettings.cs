namespace SandboxAgents.Runs;

/// <summary>
/// The settings one run goes by, resolved when it is queued (<see cref="RunSettingsResolver"/>: the service's options,
/// with the repository's <c>.github/sandbox-agents.yml</c> merged under their ceilings once it is read) and kept on the
/// run, so a change of configuration, or a replay after a crash, never changes a run half-way. Holds no secret.
/// </summary>
/// <param name="AgentCommand">Shell command run in the checkout (never from the repository).</param>
/// <param name="Timeout">The run's wall-clock limit, from provisioning to the runner's exit.</param>
/// <param name="DraftPullRequest">Open the pull request as a draft.</param>
/// <param name="MaxStepFailures">Failures in a row of one step before the run fails.</param>
/// <param name="LogTailLines">Lines of the runner's output kept for the comment and the API.</param>
/// <param name="Model">The model the agent is asked to use (<c>AGENT_MODEL</c>); null: the agent's own default.</param>
/// <param name="MaxTurns">The agent's turn limit (<c>AGENT_MAX_TURNS</c>).</param>
/// <param name="MaxBudgetUsd">The agent's spending limit in US dollars (<c>AGENT_MAX_BUDGET_USD</c>); null: none.</param>
/// <param name="Setup">Commands run in the checkout before the agent, in order (the repository's <c>setup</c>).</param>
/// <param name="Validate">Commands run in the checkout after the agent, each recorded (the repository's <c>validate</c>).</param>
/// <param name="RepositoryInstructions">Text the repository adds to every task (its <c>instructions</c>).</param>
/// <param name="WrapUpGrace">How long the agent has to finish once asked to stop at the deadline.</param>
/// <param name="ConfigSource">Where the repository's part came from ("<c>.github/sandbox-agents.yml</c> at abc1234"); null: no file.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.RunSettings")]
public sealed record RunSettings(
    [property: Id(0)] string AgentCommand,
    [property: Id(1)] TimeSpan Timeout,
    [property: Id(2)] bool DraftPullRequest,
    [property: Id(3)] int MaxStepFailures,
    [property: Id(4)] int LogTailLines,
    [property: Id(5)] string? Model = null,
    [property: Id(6)] int MaxTurns = AgentOptions.DefaultMaxTurns,
    [property: Id(7)] decimal? MaxBudgetUsd = null,
    [property: Id(8)] string[]? Setup = null,
    [property: Id(9)] string[]? Validate = null,
    [property: Id(10)] string? RepositoryInstructions = null,
    [property: Id(11)] TimeSpan WrapUpGrace = default,
    [property: Id(12)] string? ConfigSource = null)
{
    public IReadOnlyList<string> SetupCommands => Setup ?? [];

    public IReadOnlyList<string> ValidateCommands => Validate ?? [];
}
