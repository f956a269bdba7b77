namespace SandboxAgents.GitHub;

/// <summary>What a token is for: one repository, and the run it serves (null: the service's own calls, such as permission checks).</summary>
public sealed record GitHubTokenScope
{
    public GitHubTokenScope(string owner, string repository, string? runId)
    {
        Owner = owner.ToLowerInvariant();
        Repository = repository.ToLowerInvariant();
        RunId = runId;
    }

    public string Owner { get; }

    public string Repository { get; }

    public string? RunId { get; }

    public static GitHubTokenScope ForRun(IssueKey issue, string runId) => new(issue.Owner, issue.Repository, runId);

    /// <summary>The scope of a call made now: the run <see cref="GitHubRunScope"/> says is being driven, if any.</summary>
    public static GitHubTokenScope Current(string owner, string repository) => new(owner, repository, GitHubRunScope.CurrentRunId);

    public override string ToString() => RunId is null ? $"{Owner}/{Repository}" : $"{Owner}/{Repository} run {RunId}";
}
