using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Wraps Octokit.Webhooks' endpoint itself (so every path that routes to it passes here), which answers 400 (not 401) to a bad signature and accepts
/// unsigned requests when it has no secret. Refusals cost as little as they can: a declared length over the cap
/// (413) or a signature header not of GitHub's form (401) is refused before a byte of the body is read. Otherwise the
/// body is read once, into a pooled array, when the <see cref="WebhookBufferBudget"/> has room for it, within
/// <see cref="WebhookOptions.WebhookReadTimeout"/>; its HMAC is checked there (401 on a mismatch), and the endpoint
/// reads the same array through a read-only stream, unless it is of an event the service does not act on
/// (<see cref="ActedOnEvents"/>): that is answered 200 at once, so GitHub counts it as delivered. The array goes back
/// to the pool when the request ends.
/// </summary>
public sealed partial class WebhookGate(
    WebhookSecretStore secrets,
    WebhookBufferBudget budget,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookGate> logger)
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public const string EventHeader = "X-GitHub-Event";

    private const string TooLarge = "The payload is larger than GitHub ever sends.";

    /// <summary>Where body buffers are rented from; tests watch a pool of their own.</summary>
    internal ArrayPool<byte> Pool { get; init; } = PooledBody.CreatePool(options.Value.MaxPayloadBytes, options.Value.WebhookBufferBudgetBytes);

    public async Task InvokeAsync(HttpContext context, RequestDelegate endpoint)
    {
        var request = context.Request;
        var limit = options.Value.MaxPayloadBytes;
        if (request.ContentLength > limit)
        {
            LogTooLarge(logger, DeliveryId(request), request.ContentLength.Value);
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge);
            return;
        }

        var digest = new byte[WebhookSignature.DigestLength];
        if (request.Headers[SignatureHeader] is not [var header] || !WebhookSignature.TryParse(header, digest))
        {
            await RefuseUnsignedAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        using var deadline = new CancellationTokenSource(options.Value.WebhookReadTimeout, clock);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        try
        {
            using var lease = await WaitForBudgetAsync(context, limit, deadline, reading.Token);
            if (lease is null) return;
            using var body = await ReadBodyAsync(context, limit, deadline, reading.Token);
            if (body is null) return;

            if (!WebhookSignature.Matches(secrets.Secret, body.Span, digest))
            {
                await RefuseUnsignedAsync(context);
                return;
            }

            if (request.Headers[EventHeader] is [{ Length: > 0 } eventName] && ActedOnEvents.Ignores(eventName, body.Span))
            {
                var delivery = DeliveryId(request);
                LogNotActedOn(logger, delivery, eventName);
                await Results.Text("Not an event this service acts on; acknowledged.", statusCode: StatusCodes.Status200OK).ExecuteAsync(context);
                return;
            }

            var original = request.Body;
            request.Body = body.AsStream();
            try
            {
                await endpoint(context);
            }
            finally
            {
                request.Body = original;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: there is no one to answer, and the array and the budget are back already.
        }
    }

    /// <summary>The request's share of the budget, or null when the deadline passed first (then it has been answered 503).</summary>
    private async Task<WebhookBufferBudget.Lease?> WaitForBudgetAsync(
        HttpContext context, long limit, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        try
        {
            return await budget.AcquireAsync(PooledBody.Reservation(context.Request.ContentLength, limit), cancellationToken);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            LogTimedOut(logger, DeliveryId(context.Request), "waiting for buffer budget");
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "Too many deliveries are being read at once.");
            return null;
        }
    }

    /// <summary>The body, or null when it is over the cap (answered 413) or did not arrive before the deadline (answered 408).</summary>
    private async Task<PooledBody?> ReadBodyAsync(HttpContext context, long limit, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var request = context.Request;
        PooledBody? body;
        try
        {
            body = await PooledBody.ReadAsync(request.Body, request.ContentLength, limit, Pool, cancellationToken);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            LogTimedOut(logger, DeliveryId(request), "reading the body");
            await RefuseAsync(context, StatusCodes.Status408RequestTimeout, "The payload did not arrive in time.");
            return null;
        }

        if (body is null)
        {
            LogTooLarge(logger, DeliveryId(request), limit + 1);
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge);
        }

        return body;
    }

    private Task RefuseUnsignedAsync(HttpContext context)
    {
        LogRejected(logger, DeliveryId(context.Request));
        return RefuseAsync(context, StatusCodes.Status401Unauthorized, "Missing or invalid X-Hub-Signature-256.");
    }

    private static Task RefuseAsync(HttpContext context, int status, string detail) =>
        Results.Problem(detail, statusCode: status).ExecuteAsync(context);

    private static string DeliveryId(HttpRequest request) => request.Headers["X-GitHub-Delivery"].ToString();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: missing or invalid signature")]
    private static partial void LogRejected(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook delivery {DeliveryId} ({Event}) acknowledged: not an event this service acts on")]
    private static partial void LogNotActedOn(ILogger logger, string deliveryId, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: its body is at least {Bytes} bytes, over the cap")]
    private static partial void LogTooLarge(ILogger logger, string deliveryId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: the time to arrive ran out while {Stage}")]
    private static partial void LogTimedOut(ILogger logger, string deliveryId, string stage);
}
