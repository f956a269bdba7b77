using Microsoft.Extensions.Logging;

namespace SandboxAgents.PullRequests;

/// <summary>
/// One pull request, keyed <c>owner/repo#number</c>. It is told once which issue it belongs to, when the service opens
/// it, and from then on hands that issue's grain every command about it. Most pull requests a repository sees are not
/// the agent's: their commands are refused without a write, so an event on one costs a read at most.
/// </summary>
public sealed partial class PullRequestGrain(
    [PersistentState(StorageNames.PullRequestState, StorageNames.Runs)] IPersistentState<PullRequestState> state,
    ILogger<PullRequestGrain> logger) : Grain, IPullRequestGrain
{
    private IssueKey Key => IssueKey.Parse(this.GetPrimaryKeyString());

    public async Task LinkAsync(string issueKey, string branch)
    {
        var issue = IssueKey.Parse(issueKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        if (issue.RepositoryFullName != Key.RepositoryFullName)
            throw new ArgumentException($"{issue} is not in the repository of pull request {Key}.", nameof(issueKey));

        if (state.State.Issue is { } linked)
        {
            if (linked != issue.ToString() || state.State.Branch != branch) LogRelinkRefused(logger, Key, linked, state.State.Branch, issue, branch);
            return;
        }

        (state.State.Issue, state.State.Branch) = (issue.ToString(), branch);
        await state.WriteStateAsync();
        LogLinked(logger, Key, issue, branch);
    }

    public Task<string?> GetIssueAsync() => Task.FromResult(state.State.Issue);

    public async Task<SubmitOutcome> SubmitAsync(IssueCommand command)
    {
        if (state.State.Issue is not { } issue)
        {
            LogNotOurs(logger, Key, command.Kind, command.Source);
            return SubmitOutcome.NotAgentPullRequest;
        }

        var answer = await GrainFactory.GetGrain<ISandboxGrain>(issue).SubmitAsync(command);
        return answer.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request {PullRequest} linked to {Issue}, branch {Branch}")]
    private static partial void LogLinked(ILogger logger, IssueKey pullRequest, IssueKey issue, string branch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pull request {PullRequest} belongs to {Issue} (branch {Branch}); linking it to {Other} (branch {OtherBranch}) is refused")]
    private static partial void LogRelinkRefused(ILogger logger, IssueKey pullRequest, string issue, string? branch, IssueKey other, string otherBranch);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pull request {PullRequest} is not the agent's: {Kind} from {Source} not acted on")]
    private static partial void LogNotOurs(ILogger logger, IssueKey pullRequest, CommandKind kind, CommandSource source);
}
