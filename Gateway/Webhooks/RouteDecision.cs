namespace SandboxAgents.Gateway.Webhooks;

/// <summary>What a webhook delivery means: a command for one issue, or nothing (with the reason, for the log).</summary>
public sealed record RouteDecision(IssueKey? Issue, IssueCommand? Command, string Reason)
{
    public static RouteDecision Ignore(string reason) => new(null, null, reason);

    public static RouteDecision For(IssueKey issue, IssueCommand command) => new(issue, command, $"{command.Kind} from {command.Source}");
}
