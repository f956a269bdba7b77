namespace SandboxAgents.Runs;

/// <summary>
/// The settings one run goes by, resolved when it is queued (<see cref="RunSettingsResolver"/>) and kept on the run, so
/// a change of configuration, or a replay after a crash, never changes a run half-way. Holds no secret.
/// </summary>
/// <param name="AgentCommand">Shell command run in the checkout (its turn cap is one of its flags).</param>
/// <param name="Timeout">The run's wall-clock limit, from provisioning to the runner's exit.</param>
/// <param name="DraftPullRequest">Open the pull request as a draft.</param>
/// <param name="MaxStepFailures">Failures in a row of one step before the run fails.</param>
/// <param name="LogTailLines">Lines of the runner's output kept for the comment and the API.</param>
[GenerateSerializer, Immutable, Alias("SandboxAgents.Runs.RunSettings")]
public sealed record RunSettings(
    [property: Id(0)] string AgentCommand,
    [property: Id(1)] TimeSpan Timeout,
    [property: Id(2)] bool DraftPullRequest,
    [property: Id(3)] int MaxStepFailures,
    [property: Id(4)] int LogTailLines);
