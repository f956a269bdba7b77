using System.Collections.Frozen;
using System.Text.Json;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The events and actions this service acts on. Octokit.Webhooks throws on an event type or an action it has no model
/// for, which would answer 400 and show GitHub a failed delivery; so a signed delivery of anything else is
/// acknowledged here without being parsed. One whose action cannot be read goes on to the parser, which refuses it.
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

    /// <summary>True when a delivery of <paramref name="eventName"/> with this body is one the service does nothing with.</summary>
    public static bool Ignores(string eventName, ReadOnlySpan<byte> body)
    {
        if (!Actions.TryGetValue(eventName, out var actions)) return true;
        return TopLevelAction(body) is { } action && !actions.Contains(action);
    }

    /// <summary>The body's top-level <c>action</c>, or null when the body is not a JSON object with a string there.</summary>
    internal static string? TopLevelAction(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAction = reader.ValueTextEquals("action"u8);
                if (!reader.Read()) return null;
                if (isAction) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
