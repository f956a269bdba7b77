using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The webhook endpoint's door: it answers 401 to a missing or bad signature, and hands a delivery on only once its
/// HMAC has been checked, once, over the bytes the handler will read. Refusals cost as little as they can: a declared
/// length over the cap (413) or a signature header not of GitHub's form (401) is refused before a byte of the body is
/// read. Otherwise the body is read once, into a pooled array, when the <see cref="WebhookBufferBudget"/> has room for
/// it, within <see cref="WebhookOptions.WebhookReadTimeout"/>; its HMAC is checked there (401 on a mismatch), and the
/// handler gets the same array. The array goes back to the pool when the handler is done.
/// </summary>
public sealed partial class WebhookGate(
    IWebhookSignatureVerifier signatures,
    WebhookBufferBudget budget,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookGate> logger)
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    private const string TooLarge = "The payload is larger than GitHub ever sends.";

    /// <summary>Where body buffers are rented from; tests watch a pool of their own.</summary>
    internal ArrayPool<byte> Pool { get; init; } = PooledBody.CreatePool(options.Value.MaxPayloadBytes, options.Value.WebhookBufferBudgetBytes);

    public async Task InvokeAsync(HttpContext context, Func<HttpContext, PooledBody, Task> handler)
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

            if (!signatures.Verify(body.Span, digest))
            {
                await RefuseUnsignedAsync(context);
                return;
            }

            await handler(context, body);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: its body is at least {Bytes} bytes, over the cap")]
    private static partial void LogTooLarge(ILogger logger, string deliveryId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: the time to arrive ran out while {Stage}")]
    private static partial void LogTimedOut(ILogger logger, string deliveryId, string stage);
}
