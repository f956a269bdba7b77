using System.Globalization;
using Microsoft.Extensions.Options;
using SandboxAgents.Runs.RepositoryConfig;

namespace SandboxAgents.Runs;

/// <summary>
/// Decides a new run's <see cref="RunSettings"/>: the service's options when it is queued (with the model its command
/// named), then the repository's <c>.github/sandbox-agents.yml</c> merged under the service's ceilings once it is read.
/// The agent command and secrets never come from the repository: its file has no keys for them.
/// </summary>
public sealed class RunSettingsResolver(IOptions<AgentOptions> agent, IOptions<RunOptions> runs)
{
    public RunSettings Resolve(IssueKey issue, string? requestedModel = null) => new(
        agent.Value.Command,
        agent.Value.Timeout,
        runs.Value.DraftPullRequests,
        runs.Value.MaxStepFailures,
        runs.Value.LogTailLines,
        Model: requestedModel ?? agent.Value.Model,
        MaxTurns: agent.Value.MaxTurns,
        MaxBudgetUsd: agent.Value.MaxBudgetUsd,
        WrapUpGrace: agent.Value.WrapUpGrace);

    /// <summary>
    /// <paramref name="resolved"/> with what the repository's file asks, each limit held to its ceiling
    /// (<c>Agent:MaxTimeout</c>, <c>Agent:MaxTurns</c>, <c>Agent:MaxBudgetUsd</c>); the notes say what was lowered.
    /// The command's model wins over the file's, which wins over <c>Agent:Model</c>.
    /// </summary>
    public MergedSettings Merge(RunSettings resolved, RepositorySettings file, string source, string? requestedModel)
    {
        var notes = new List<string>();
        var options = agent.Value;
        var settings = resolved with
        {
            Timeout = Capped("timeout", file.Timeout, options.MaxTimeout, "Agent:MaxTimeout", resolved.Timeout, notes, t => t.ToString("c", CultureInfo.InvariantCulture)),
            MaxTurns = Capped("maxTurns", file.MaxTurns, options.MaxTurns, "Agent:MaxTurns", resolved.MaxTurns, notes, n => n.ToString(CultureInfo.InvariantCulture)),
            MaxBudgetUsd = file.MaxBudgetUsd is { } budget && options.MaxBudgetUsd is { } ceiling
                ? Capped("maxBudgetUsd", budget, ceiling, "Agent:MaxBudgetUsd", budget, notes, d => "$" + d.ToString(CultureInfo.InvariantCulture))
                : file.MaxBudgetUsd ?? resolved.MaxBudgetUsd,
            Model = requestedModel ?? file.Model ?? resolved.Model,
            DraftPullRequest = file.Draft ?? resolved.DraftPullRequest,
            Setup = file.Setup is { } setup ? [.. setup] : resolved.Setup,
            Validate = file.Validate is { } validate ? [.. validate] : resolved.Validate,
            RepositoryInstructions = file.Instructions ?? resolved.RepositoryInstructions,
            ConfigSource = source,
        };
        return new MergedSettings(settings, notes);
    }

    private static T Capped<T>(string key, T? asked, T ceiling, string ceilingName, T otherwise, List<string> notes, Func<T, string> show)
        where T : struct, IComparable<T>
    {
        if (asked is not { } value) return otherwise;
        if (value.CompareTo(ceiling) <= 0) return value;
        notes.Add($"{key} {show(value)} lowered to {show(ceiling)} ({ceilingName})");
        return ceiling;
    }
}

/// <summary>A run's settings with its repository's file merged in, and what the service's ceilings changed of it.</summary>
public sealed record MergedSettings(RunSettings Settings, IReadOnlyList<string> Lowered);
