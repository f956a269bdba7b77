using System.Globalization;

namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>Why a repository's configuration file cannot be used, and where in it (1-based line and column).</summary>
public sealed record ConfigProblem(long Line, long Column, string Message)
{
    /// <summary>"<c>.github/sandbox-agents.yml:3:5: maxTurns must be a whole number above 0</c>".</summary>
    public string Describe(string file) =>
        string.Create(CultureInfo.InvariantCulture, $"{file}:{Line}:{Column}: {Message}");
}

/// <summary>A parsed configuration file: its settings, or the first problem found in it.</summary>
public sealed record ConfigParse(RepositorySettings? Settings, ConfigProblem? Problem)
{
    public static ConfigParse Of(RepositorySettings settings) => new(settings, null);

    public static ConfigParse Failed(long line, long column, string message) => new(null, new ConfigProblem(line, column, message));
}
