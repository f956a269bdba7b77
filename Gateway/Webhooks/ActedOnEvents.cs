using System.Collections.Frozen;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The events and actions this service acts on. Octokit.Webhooks throws on an event type or an action it has no model
/// for, which would answer 400 and show GitHub a failed delivery; so a signed delivery of anything else is
/// acknowledged without being parsed (<see cref="DeliveryTriage"/>).
/// </summary>
public static class ActedOnEvents
{
    private static readonly FrozenDictionary<string, FrozenSet<string>> Actions = new Dictionary<string, FrozenSet<string>>
    {
        ["issues"] = FrozenSet.Create(StringComparer.Ordinal, "labeled", "unlabeled", "closed"),
        ["issue_comment"] = FrozenSet.Create(StringComparer.Ordinal, "created"),
        ["installation"] = FrozenSet.Create(StringComparer.Ordinal, "deleted", "suspend", "unsuspend"),
        ["installation_repositories"] = FrozenSet.Create(StringComparer.Ordinal, "removed"),
        ["pull_request_review"] = FrozenSet.Create(StringComparer.Ordinal, "submitted"),
        ["pull_request_review_comment"] = FrozenSet.Create(StringComparer.Ordinal, "created"),
        ["check_suite"] = FrozenSet.Create(StringComparer.Ordinal, "completed"),
        ["workflow_run"] = FrozenSet.Create(StringComparer.Ordinal, "completed"),
        ["pull_request"] = FrozenSet.Create(StringComparer.Ordinal, "synchronize"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The actions of <paramref name="eventName"/> the service acts on, or null when it acts on none.</summary>
    public static FrozenSet<string>? ActionsOf(string eventName) => Actions.GetValueOrDefault(eventName);
}
