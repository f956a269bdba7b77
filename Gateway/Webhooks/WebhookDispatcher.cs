using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Octokit.Webhooks;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Answers a delivery whose signature the <see cref="WebhookGate"/> has checked. The <see cref="DeliveryTriage"/>
/// decides from its bytes first, so the ordinary delivery (an event or action not acted on, a comment that is not a
/// command, a check that passed) is acknowledged without its payload being deserialised; only one that may be a
/// command is deserialised, from the same pooled bytes, and handed to the <see cref="WebhookEventProcessor"/>
/// (<see cref="IssueCommandProcessor"/>), which GitHub's answer waits for.
/// </summary>
public sealed partial class WebhookDispatcher(
    WebhookEventProcessor processor,
    IOptions<TriggerOptions> triggers,
    IOptions<GitHubAppOptions> app,
    ILogger<WebhookDispatcher> logger)
{
    public const string EventHeader = "X-GitHub-Event";

    private const string DeliveryHeader = "X-GitHub-Delivery";

    private const string NotReadable = "The payload is not a GitHub webhook event this service can read.";

    private readonly TriageRules _rules = TriageRules.From(triggers.Value, app.Value);

    public async Task DispatchAsync(HttpContext context, PooledBody body)
    {
        var request = context.Request;
        if (request.Headers[EventHeader] is not [{ } eventName] || string.IsNullOrWhiteSpace(eventName))
        {
            await RefuseAsync(context, "The delivery has no X-GitHub-Event header.");
            return;
        }

        var triage = DeliveryTriage.Decide(eventName, body.Span, _rules);
        if (triage.Outcome == TriageOutcome.NotActedOn)
        {
            LogNotActedOn(logger, request.Headers[DeliveryHeader], eventName);
            await Results.Text("Not an event this service acts on; acknowledged.", statusCode: StatusCodes.Status200OK).ExecuteAsync(context);
            return;
        }

        if (!request.HasJsonContentType())
        {
            await RefuseAsync(context, "The payload must be application/json.");
            return;
        }

        switch (triage.Outcome)
        {
            case TriageOutcome.Malformed:
                await RefuseAsync(context, NotReadable);
                return;
            case TriageOutcome.Ignored:
                LogIgnored(logger, request.Headers[DeliveryHeader], eventName, triage.Reason);
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
        }

        try
        {
            await processor.ProcessWebhookAsync(request.Headers, body.Memory, context.RequestAborted);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or ArgumentException or FormatException)
        {
            await RefuseAsync(context, NotReadable);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static Task RefuseAsync(HttpContext context, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} ({Event}) acknowledged: not an event this service acts on")]
    private static partial void LogNotActedOn(ILogger logger, StringValues deliveryId, string @event);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} ({Event}) ignored unread: {Reason}")]
    private static partial void LogIgnored(ILogger logger, StringValues deliveryId, string @event, string reason);
}
