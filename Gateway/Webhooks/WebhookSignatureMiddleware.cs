using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// Stands in front of Octokit.Webhooks' endpoint, which answers 400 (not 401) to a bad signature and accepts
/// unsigned requests when it has no secret. Here a delivery without a valid signature gets 401 and goes no further.
/// </summary>
public sealed partial class WebhookSignatureMiddleware(
    RequestDelegate next,
    WebhookSecretStore secrets,
    IOptions<WebhookOptions> options,
    ILogger<WebhookSignatureMiddleware> logger)
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxPayloadBytes;
        if (context.Request.ContentLength > limit)
        {
            await Results.Problem("The payload is larger than GitHub ever sends.", statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        context.Request.EnableBuffering();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        context.Request.Body.Position = 0;

        if (!WebhookSignature.IsValid(secrets.Secret, body.GetBuffer().AsSpan(0, (int)body.Length), context.Request.Headers[SignatureHeader]))
        {
            LogRejected(logger, context.Request.Headers["X-GitHub-Delivery"].ToString());
            await Results.Problem("Missing or invalid X-Hub-Signature-256.", statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} rejected: missing or invalid signature")]
    private static partial void LogRejected(ILogger logger, string deliveryId);
}
