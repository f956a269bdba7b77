namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>Where a repository keeps its configuration for the service, and the most of it that is read.</summary>
public static class RepositoryConfigFile
{
    public const string Path = ".github/sandbox-agents.yml";

    public const int MaxBytes = 64 * 1024;

    /// <summary>"<c>.github/sandbox-agents.yml at abc1234</c>": where a run's repository settings came from.</summary>
    public static string SourceAt(string commit) => $"{Path} at {(commit.Length > 7 ? commit[..7] : commit)}";
}
