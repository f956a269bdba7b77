namespace SandboxAgents.PullRequests;

/// <summary>The persisted state of one <see cref="PullRequestGrain"/>: written once, when the service opens the pull request.</summary>
[GenerateSerializer, Alias("SandboxAgents.PullRequests.PullRequestState")]
public sealed class PullRequestState
{
    /// <summary>The issue (<c>owner/repo#number</c>) the pull request was opened for; null for a pull request the service did not open.</summary>
    [Id(0)] public string? Issue { get; set; }

    /// <summary>The branch the service pushed the issue's work to.</summary>
    [Id(1)] public string? Branch { get; set; }
}
