namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Decides from the <c>X-GitHub-Event</c> name and a few fields (<see cref="DeliveryFields"/>) read off the raw bytes
/// whether a delivery needs its payload deserialised at all. A pure function, and a conservative one: it only
/// ignores what the routers (<see cref="InstallationEventRouter"/>, <see cref="PullRequestEventRouter"/>,
/// <see cref="WebhookCommandRouter"/>) would ignore, for the same reason (a comment that is not a command, a label that
/// is not the trigger, feedback from a bot, a review that asks for nothing, a check that passed); everything else goes
/// on to them. Needs no host: a benchmark calls it over a byte array.
/// </summary>
public static class DeliveryTriage
{
    public static Triage Decide(string eventName, ReadOnlySpan<byte> body, TriageRules rules)
    {
        if (ActedOnEvents.ActionsOf(eventName) is not { } actions) return Triage.NotActedOn;
        var fields = DeliveryFields.Read(body, rules.CommandPrefix, actions);
        if (fields.Action is { } action && !actions.Contains(action)) return Triage.NotActedOn;
        if (!fields.WellFormed || fields.Action is null) return Triage.Malformed;
        return Decide(eventName, fields, rules);
    }

    /// <summary>The decision for a delivery of an acted-on event and action whose fields have been read.</summary>
    public static Triage Decide(string eventName, DeliveryFields fields, TriageRules rules)
    {
        var fromPeopleOnly = eventName is "issues" or "issue_comment" or "pull_request_review" or "pull_request_review_comment";
        if (fromPeopleOnly && FromBot(fields, rules) is { } bot) return Triage.Ignore(bot);
        return eventName switch
        {
            "issues" when fields.Action is "labeled" or "unlabeled" && !IsTrigger(fields.LabelName, rules) => Triage.Ignore("label is not the trigger"),
            "issue_comment" when !fields.CommentIsCommand => Triage.Ignore("comment is not a command"),
            "pull_request_review" when !AsksForChanges(fields) => Triage.Ignore("review asks for nothing"),
            "check_suite" when !CheckConclusions.IsFailing(fields.CheckSuiteConclusion) => Triage.Ignore("check suite did not fail"),
            "workflow_run" when !CheckConclusions.IsFailing(fields.WorkflowRunConclusion) => Triage.Ignore("workflow run did not fail"),
            _ => Triage.Route,
        };
    }

    /// <summary>As <see cref="CommandSenders.WhyIgnored"/> reads the sender.</summary>
    private static string? FromBot(DeliveryFields fields, TriageRules rules)
    {
        if (fields.SenderIsBot) return "sender is a bot";
        if (rules.OwnBotLogin is { } own && string.Equals(fields.SenderLogin, own, StringComparison.OrdinalIgnoreCase)) return "sender is this service's own App";
        return null;
    }

    private static bool IsTrigger(string? label, TriageRules rules) => string.Equals(label, rules.TriggerLabel, StringComparison.OrdinalIgnoreCase);

    /// <summary>As <see cref="PullRequestEventRouter"/> reads a review: changes requested, or a comment with a body.</summary>
    private static bool AsksForChanges(DeliveryFields fields) =>
        fields.ReviewState?.ToLowerInvariant() switch
        {
            "changes_requested" => true,
            "commented" => fields.ReviewHasBody,
            _ => false,
        };
}
