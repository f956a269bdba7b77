namespace SandboxAgents.GitHub;

/// <summary>
/// The run whose work the current call flow does, so that REST calls made deep inside it (comments, pull requests)
/// use that run's token without every port method carrying a run id. It flows with the async context, like
/// <see cref="System.Diagnostics.Activity.Current"/>.
/// </summary>
public static class GitHubRunScope
{
    private static readonly AsyncLocal<string?> Run = new();

    public static string? CurrentRunId => Run.Value;

    /// <summary>Marks the calls made until the result is disposed as the run's.</summary>
    public static IDisposable Enter(string runId)
    {
        var previous = Run.Value;
        Run.Value = runId;
        return new Exit(previous);
    }

    private sealed class Exit(string? previous) : IDisposable
    {
        public void Dispose() => Run.Value = previous;
    }
}
