using SandboxAgents.Runner;

namespace SandboxAgents.Runs;

/// <summary>How a run ended, as told to the issue.</summary>
public sealed record Verdict(RunState State, string? Reason);

/// <summary>
/// The truthful-outcome rule: Succeeded only when the agent exited 0, its result object (when it printed one) says
/// <c>success</c> and not <c>is_error</c>, with no permission denials, and there are commits. No commits: NoChanges.
/// Anything else fails, with the reason.
/// </summary>
public static class OutcomeJudge
{
    public static Verdict Judge(RunnerResult result)
    {
        if (result.Outcome == RunnerOutcomes.Error)
            return new(RunState.Failed, $"The runner failed: {result.Error ?? "no reason given"}.");
        if (result.AgentExitCode is not 0)
            return new(RunState.Failed, $"The agent exited with code {result.AgentExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}.");

        if (result.AgentResult is { } agent)
        {
            if (agent.IsError)
                return new(RunState.Failed, $"The agent reported an error ({agent.Subtype}): {Shorten(agent.Result)}");
            if (!string.Equals(agent.Subtype, "success", StringComparison.Ordinal))
                return new(RunState.Failed, $"The agent stopped with '{agent.Subtype}'.");
            if (agent.PermissionDenials > 0)
                return new(RunState.Failed, $"The agent was denied {agent.PermissionDenials} tool call(s) it needed.");
        }

        return result.Commits > 0 && result.Outcome == RunnerOutcomes.Committed
            ? new(RunState.Succeeded, null)
            : new(RunState.NoChanges, "The agent finished without changing anything.");
    }

    private static string Shorten(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "no message" : text.Length <= 300 ? text : text[..300] + "…";
}
