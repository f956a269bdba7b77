using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Octokit.Webhooks awaits this inside the request, so it only routes: one pure decision, then at most one short
/// grain call that records the command. The grain does the rest in its own turns.
/// </summary>
public sealed partial class IssueCommandProcessor(
    IGrainFactory grains,
    IOptions<TriggerOptions> triggers,
    ILogger<IssueCommandProcessor> logger) : WebhookEventProcessor
{
    public override async ValueTask ProcessWebhookAsync(WebhookHeaders headers, WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        var decision = WebhookCommandRouter.Route(webhookEvent, headers.Delivery, triggers.Value);
        if (decision is not { Issue: { } issue, Command: { } command })
        {
            LogIgnored(logger, headers.Event, webhookEvent.Action, headers.Delivery, decision.Reason);
            return;
        }

        var outcome = await grains.GetGrain<ISandboxGrain>(issue.ToString()).SubmitAsync(command);
        LogRouted(logger, headers.Delivery, issue, command.Kind, command.Source, outcome);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} ({Event}.{Action}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string? @event, string? action, string? deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Issue} {Kind} from {Source}: {Outcome}")]
    private static partial void LogRouted(ILogger logger, string? deliveryId, IssueKey issue, CommandKind kind, CommandSource source, SubmitOutcome outcome);
}
