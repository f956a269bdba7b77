using System.Globalization;
using SandboxAgents.Runner;

namespace SandboxAgents.Runs;

/// <summary>
/// How a run ended, as told to the issue. <paramref name="Incomplete"/> names the limit a run stopped at with commits
/// to show ("the agent reached its turn limit (50)"): its work is published as a draft pull request marked incomplete.
/// </summary>
public sealed record Verdict(RunState State, string? Reason, string? Incomplete = null)
{
    /// <summary>The run's commits are pushed and a pull request opened: it succeeded, or it stopped at a limit with work to show.</summary>
    public bool Publishes => State == RunState.Succeeded || Incomplete is not null;
}

/// <summary>
/// The truthful-outcome rule: Succeeded only when the agent exited 0, its result object (when it printed one) says
/// <c>success</c> and not <c>is_error</c>, with no permission denials, and there are commits. No commits: NoChanges.
/// Anything else fails, with the reason: the agent's own words when its result object gives them (the exit code, 1
/// in every failure of the CLI, says nothing), then the exit code. A run that stopped at its turn or budget limit stays
/// failed, but keeps its commits (<see cref="Verdict.Incomplete"/>); so does one stopped at the deadline (<see cref="AtDeadline"/>).
/// </summary>
public static class OutcomeJudge
{
    /// <summary>Lines of a failed setup's output quoted in the reason (the checks show all the runner kept).</summary>
    private const int SetupLinesInReason = 10;

    public static Verdict Judge(RunnerResult result, RunSettings? settings = null)
    {
        var verdict = JudgeAgent(result);
        return verdict.State == RunState.Failed && HasCommits(result) && LimitReached(result.AgentResult, settings) is { } limit
            ? verdict with { Incomplete = limit }
            : verdict;
    }

    /// <summary>
    /// The verdict on a run the service asked to stop at its deadline: timed out whatever the agent said, its commits
    /// (what the runner committed once the agent stopped) kept as incomplete work.
    /// </summary>
    public static Verdict AtDeadline(RunnerResult result, RunSettings settings)
    {
        var reason = result.Outcome == RunnerOutcomes.Error
            ? $"Stopped at the time limit of {settings.Timeout}; then the runner failed: {result.Error ?? "no reason given"}."
            : $"Stopped at the time limit of {settings.Timeout}.";
        return new(RunState.TimedOut, reason, HasCommits(result) ? $"the run reached its time limit ({settings.Timeout})" : null);
    }

    private static Verdict JudgeAgent(RunnerResult result)
    {
        if (result is { Outcome: RunnerOutcomes.Error, Setup: { ExitCode: not 0 } setup })
            return new(RunState.Failed, SetupFailed(setup));
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

    private static bool HasCommits(RunnerResult result) => result is { Outcome: RunnerOutcomes.Committed, Commits: > 0 };

    /// <summary>The turn or budget limit the agent says it reached, in words; null when it stopped for another reason.</summary>
    private static string? LimitReached(AgentResult? agent, RunSettings? settings) => agent?.Subtype switch
    {
        "error_max_turns" => settings is null ? "the agent reached its turn limit" : $"the agent reached its turn limit ({settings.MaxTurns.ToString(CultureInfo.InvariantCulture)})",
        "error_max_budget_usd" => settings?.MaxBudgetUsd is { } budget
            ? $"the agent reached its budget limit ({StatusComment.FormatCost(budget)})"
            : "the agent reached its budget limit",
        _ => null,
    };

    private static string SetupFailed(CommandReport setup)
    {
        var lines = (setup.Tail ?? "").ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var last = string.Join('\n', lines.TakeLast(SetupLinesInReason));
        var code = setup.ExitCode.ToString(CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(last)
            ? $"The setup command `{setup.Command}` failed with exit code {code}, printing nothing."
            : $"The setup command `{setup.Command}` failed with exit code {code}. Its last lines:\n```\n{last}\n```";
    }

    private static bool IsSuccess(AgentResult agent) => string.Equals(agent.Subtype, "success", StringComparison.Ordinal);

    private static string Shorten(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "no message" : text.Length <= 300 ? text : text[..300] + "…";
}
