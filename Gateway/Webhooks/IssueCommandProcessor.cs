using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Octokit.Webhooks awaits this inside the request, so it only routes: one pure decision, then at most one short
/// grain call that records the command (a trigger first asks whether its installation is suspended). The grain does
/// the rest in its own turns.
/// </summary>
public sealed partial class IssueCommandProcessor(
    IGrainFactory grains,
    IOptions<TriggerOptions> triggers,
    IOptions<GitHubAppOptions> app,
    ILogger<IssueCommandProcessor> logger) : WebhookEventProcessor
{
    public override async ValueTask ProcessWebhookAsync(WebhookHeaders headers, WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        if (InstallationEventRouter.Route(webhookEvent, headers.Delivery) is { } change)
        {
            var cancelled = await grains.GetGrain<IInstallationGrain>(change.InstallationId).ApplyAsync(change);
            LogInstallationChanged(logger, headers.Delivery, change.InstallationId, change.Account, change.Kind, cancelled);
            return;
        }

        var decision = WebhookCommandRouter.Route(webhookEvent, headers.Delivery, triggers.Value, app.Value.BotLogin);
        if (decision is not { Issue: { } issue, Command: { } command })
        {
            LogIgnored(logger, headers.Event, webhookEvent.Action, headers.Delivery, decision.Reason);
            return;
        }

        if (command.Kind != CommandKind.Cancel && webhookEvent.Installation is { Id: > 0 } installation
            && await grains.GetGrain<IInstallationGrain>(installation.Id).IsSuspendedAsync())
        {
            LogSuspended(logger, headers.Delivery, issue, command.Kind, installation.Id);
            return;
        }

        var answer = await grains.GetGrain<ISandboxGrain>(issue.ToString()).SubmitAsync(command);
        LogRouted(logger, headers.Delivery, issue, command.Kind, command.Source, answer.Outcome);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} ({Event}.{Action}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string? @event, string? action, string? deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Issue} {Kind} from {Source}: {Outcome}")]
    private static partial void LogRouted(ILogger logger, string? deliveryId, IssueKey issue, CommandKind kind, CommandSource source, SubmitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: {Issue} {Kind} not acted on: installation {InstallationId} is suspended")]
    private static partial void LogSuspended(ILogger logger, string? deliveryId, IssueKey issue, CommandKind kind, long installationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: installation {InstallationId} ({Account}) {Kind}; {Cancelled} active runs cancelled")]
    private static partial void LogInstallationChanged(ILogger logger, string? deliveryId, long installationId, string account, InstallationChangeKind kind, int cancelled);
}
