namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// What a delivery about a pull request means: a command for that pull request's grain (keyed by the pull request,
/// which knows whether it is the agent's and for which issue), or nothing, with the reason for the log.
/// <see cref="AlsoOn"/>: other pull requests of the repository a check named, not routed.
/// </summary>
public sealed record PullRequestRouteDecision(IssueKey? PullRequest, IssueCommand? Command, string Reason, IReadOnlyList<long> AlsoOn)
{
    public static PullRequestRouteDecision Ignore(string reason) => new(null, null, reason, []);

    public static PullRequestRouteDecision For(IssueKey pullRequest, IssueCommand command, IReadOnlyList<long>? alsoOn = null) =>
        new(pullRequest, command, $"{command.Kind} from {command.Source}", alsoOn ?? []);
}
