using Orleans.Concurrency;

namespace SandboxAgents;

/// <summary>
/// One pull request the service opened, keyed like an issue (<c>owner/repo#number</c>, the pull request's number): it
/// knows the issue it belongs to and hands that issue's grain the commands about it. A pull request it was never told
/// about is not the agent's, and its commands change nothing.
/// </summary>
[Alias("SandboxAgents.IPullRequestGrain")]
public interface IPullRequestGrain : IGrainWithStringKey
{
    /// <summary>Records that the service opened this pull request for the issue, on the branch. Idempotent; stored before it returns.</summary>
    [Alias("Link")]
    Task LinkAsync(string issueKey, string branch);

    /// <summary>The issue this pull request belongs to, or null when the service did not open it. No side effects.</summary>
    [Alias("GetIssue"), AlwaysInterleave]
    Task<string?> GetIssueAsync();

    /// <summary>
    /// Forwards the command to the issue's grain and returns its outcome, or <see cref="SubmitOutcome.NotAgentPullRequest"/>
    /// when the service did not open this pull request.
    /// </summary>
    [Alias("Submit"), AlwaysInterleave]
    Task<SubmitOutcome> SubmitAsync(IssueCommand command);
}
