namespace SandboxAgents.Gateway.Webhooks;

/// <summary>What <see cref="DeliveryTriage"/> needs of the settings: the command prefix, the trigger label and this service's own App login.</summary>
public sealed record TriageRules(string CommandPrefix, string TriggerLabel, string? OwnBotLogin)
{
    public static TriageRules From(TriggerOptions triggers, GitHubAppOptions? app = null) =>
        new(triggers.Command, triggers.Label, app?.BotLogin);
}
