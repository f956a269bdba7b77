namespace SandboxAgents.GitHub;

/// <summary>The reactions the service leaves on a command (GitHub's <c>content</c> values).</summary>
public enum GitHubReaction
{
    /// <summary>👀: seen, and taken.</summary>
    Eyes = 0,

    /// <summary>😕: seen, but not acted on because GitHub could not be asked whether the sender may command runs.</summary>
    Confused = 1,
}
