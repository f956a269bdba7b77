using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The <see cref="WebhookDispatcher"/> awaits this inside the request, for a delivery its triage could not rule out,
/// so it only routes: one pure decision, then at most one short grain call that records the command (a trigger first
/// asks whether its installation is suspended). A command about a pull request goes to the pull request's grain, which
/// hands it to its issue's grain when the pull request is the agent's. The grains do the rest in their own turns.
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

        if (PullRequestEventRouter.Route(webhookEvent, headers.Delivery, triggers.Value, app.Value.BotLogin) is { } onPullRequest)
        {
            await SubmitToPullRequestAsync(headers, webhookEvent, onPullRequest);
            return;
        }

        var decision = WebhookCommandRouter.Route(webhookEvent, headers.Delivery, triggers.Value, app.Value.BotLogin);
        if (decision is not { Issue: { } issue, Command: { } command })
        {
            LogIgnored(logger, headers.Event, webhookEvent.Action, headers.Delivery, decision.Reason);
            return;
        }

        if (await IsSuspendedAsync(webhookEvent, command))
        {
            LogSuspended(logger, headers.Delivery, issue, command.Kind, webhookEvent.Installation!.Id);
            return;
        }

        var answer = await grains.GetGrain<ISandboxGrain>(issue.ToString()).SubmitAsync(command);
        LogRouted(logger, headers.Delivery, issue, command.Kind, command.Source, answer.Outcome);
    }

    /// <summary>The pull request's grain knows whether it is the agent's, and hands the command to its issue's grain.</summary>
    private async Task SubmitToPullRequestAsync(WebhookHeaders headers, WebhookEvent webhookEvent, PullRequestRouteDecision decision)
    {
        if (decision is not { PullRequest: { } pullRequest, Command: { } command })
        {
            LogIgnored(logger, headers.Event, webhookEvent.Action, headers.Delivery, decision.Reason);
            return;
        }

        if (decision.AlsoOn.Count > 0) LogAlsoOn(logger, headers.Delivery, pullRequest, decision.AlsoOn);
        if (await IsSuspendedAsync(webhookEvent, command))
        {
            LogSuspended(logger, headers.Delivery, pullRequest, command.Kind, webhookEvent.Installation!.Id);
            return;
        }

        var outcome = await grains.GetGrain<IPullRequestGrain>(pullRequest.ToString()).SubmitAsync(command);
        LogRoutedToPullRequest(logger, headers.Delivery, pullRequest, command.Kind, command.Source, outcome);
    }

    /// <summary>A command that would start work is not acted on while its installation is suspended; stopping work always is.</summary>
    private async Task<bool> IsSuspendedAsync(WebhookEvent webhookEvent, IssueCommand command) =>
        command.Kind is CommandKind.Run or CommandKind.Retry or CommandKind.Iterate or CommandKind.Fix
        && webhookEvent.Installation is { Id: > 0 } installation
        && await grains.GetGrain<IInstallationGrain>(installation.Id).IsSuspendedAsync();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivery {DeliveryId} ({Event}.{Action}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string? @event, string? action, string? deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Issue} {Kind} from {Source}: {Outcome}")]
    private static partial void LogRouted(ILogger logger, string? deliveryId, IssueKey issue, CommandKind kind, CommandSource source, SubmitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: pull request {PullRequest} {Kind} from {Source}: {Outcome}")]
    private static partial void LogRoutedToPullRequest(ILogger logger, string? deliveryId, IssueKey pullRequest, CommandKind kind, CommandSource source, SubmitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: routed to pull request {PullRequest} only; the check named pull requests {Others} too")]
    private static partial void LogAlsoOn(ILogger logger, string? deliveryId, IssueKey pullRequest, IReadOnlyList<long> others);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: {Issue} {Kind} not acted on: installation {InstallationId} is suspended")]
    private static partial void LogSuspended(ILogger logger, string? deliveryId, IssueKey issue, CommandKind kind, long installationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: installation {InstallationId} ({Account}) {Kind}; {Cancelled} active runs cancelled")]
    private static partial void LogInstallationChanged(ILogger logger, string? deliveryId, long installationId, string account, InstallationChangeKind kind, int cancelled);
}
