using Octokit.Webhooks.Models;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Who may not give a command at all, whatever their permission: a bot, and this service's own App whatever type the
/// payload gives it, so that nothing the service writes commands it again.
/// </summary>
public static class CommandSenders
{
    /// <summary>Why the sender's command is ignored, or null when a person sent it.</summary>
    public static string? WhyIgnored(User sender, string? ownBotLogin)
    {
        if (sender.Type?.Value == UserType.Bot) return $"sender {sender.Login} is a bot";
        if (ownBotLogin is not null && string.Equals(sender.Login, ownBotLogin, StringComparison.OrdinalIgnoreCase))
            return $"sender {sender.Login} is this service's own App";
        return null;
    }
}
