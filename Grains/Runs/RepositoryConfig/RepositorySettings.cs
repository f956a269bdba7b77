namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>
/// What a repository's <c>.github/sandbox-agents.yml</c> asks of its runs; null: the file does not say. It holds no
/// agent command and no secret: the file has no keys for them.
/// </summary>
public sealed record RepositorySettings
{
    public IReadOnlyList<string>? Setup { get; init; }

    public IReadOnlyList<string>? Validate { get; init; }

    public string? Model { get; init; }

    public int? MaxTurns { get; init; }

    public decimal? MaxBudgetUsd { get; init; }

    public TimeSpan? Timeout { get; init; }

    public bool? Draft { get; init; }

    public string? Instructions { get; init; }

    public string? BranchPrefix { get; init; }
}
