using SandboxAgents.Runner;

namespace SandboxAgents.Runs;

/// <summary>How a run ended, as told to the issue.</summary>
public sealed record Verdict(RunState State, string? Reason);

/// <summary>
/// The truthful-outcome rule: Succeeded only when the agent exited 0, its result object (when it printed one) says
/// <c>success</c> and not <c>is_error</c>, with no permission denials, and there are commits. No commits: NoChanges.
/// Anything else fails, with the reason: the agent's own words when its result object gives them (the exit code, 1
/// in every failure of the CLI, says nothing), then the exit code.
/// </summary>
public static class OutcomeJudge
{
    public static Verdict Judge(RunnerResult result)
    {
        if (result.Outcome == RunnerOutcomes.Error)
            return new(RunState.Failed, $"The runner failed: {result.Error ?? "no reason given"}.");
        var exitCode = result.AgentExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
        if (result.AgentResult is { StatedReason: { } said } stopped && (stopped.IsError || result.AgentExitCode is not 0 || !IsSuccess(stopped)))
            return new(RunState.Failed, $"The agent reported an error: {Shorten(said)} ({stopped.Subtype ?? "no subtype"}, exit code {exitCode}).");
        if (result.AgentExitCode is not 0)
            return new(RunState.Failed, $"The agent exited with code {exitCode}.");

        if (result.AgentResult is { } agent)
        {
            if (agent.IsError)
                return new(RunState.Failed, $"The agent reported an error ({agent.Subtype}): {Shorten(agent.Result)}");
            if (!IsSuccess(agent))
                return new(RunState.Failed, $"The agent stopped with '{agent.Subtype}'.");
            if (agent.PermissionDenials > 0)
                return new(RunState.Failed, $"The agent was denied {agent.PermissionDenials} tool call(s) it needed.");
        }

        return result.Commits > 0 && result.Outcome == RunnerOutcomes.Committed
            ? new(RunState.Succeeded, null)
            : new(RunState.NoChanges, "The agent finished without changing anything.");
    }

    private static bool IsSuccess(AgentResult agent) => string.Equals(agent.Subtype, "success", StringComparison.Ordinal);

    private static string Shorten(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "no message" : text.Length <= 300 ? text : text[..300] + "…";
}
