using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// The App's webhook as GitHub runs it: <see cref="DeliverAsync"/> signs an event and posts it to
/// <see cref="WebhookTarget"/>, recording the attempt (<c>OK</c> only for a 2xx; GitHub never retries on its own);
/// <c>GET /app/hook/deliveries</c> lists attempts newest first with cursor pagination in the <c>Link</c> header;
/// <c>POST /app/hook/deliveries/{id}/attempts</c> sends the same event again, same GUID, as a new attempt.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly ConcurrentDictionary<long, HookAttempt> _deliveries = new();
    private long _nextDelivery = 9_000_000;

    /// <summary>Where the App's webhook points (the service under test); null: nobody listens, every attempt fails.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage>>? WebhookTarget { get; set; }

    public string WebhookSecret { get; set; } = "";

    public IReadOnlyList<HookAttempt> Deliveries => [.. _deliveries.Values.OrderBy(d => d.Id)];

    /// <summary>GitHub sends an event to the App's webhook once.</summary>
    public Task<HookAttempt> DeliverAsync(string eventName, JsonObject payload) =>
        AttemptAsync(Guid.NewGuid().ToString(), eventName, Encoding.UTF8.GetBytes(payload.ToJsonString()), redelivery: false);

    private async Task<HookAttempt> AttemptAsync(string guid, string eventName, byte[] body, bool redelivery)
    {
        var id = Interlocked.Increment(ref _nextDelivery);
        var payload = JsonNode.Parse(body)!;
        int statusCode;
        try
        {
            if (WebhookTarget is not { } target) throw new HttpRequestException("connection refused");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", eventName);
            request.Headers.Add("X-GitHub-Delivery", guid);
            request.Headers.Add("X-GitHub-Hook-ID", "1");
            request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "integration");
            request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", FakeGitHubApp.Id);
            request.Headers.Add("User-Agent", "GitHub-Hookshot/fake");
            request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(WebhookSecret, body));
            using var response = await target(request);
            statusCode = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            statusCode = 0;
        }

        var attempt = new HookAttempt(id, guid, eventName, payload["action"]?.GetValue<string>(), payload["installation"]?["id"]?.GetValue<long>(),
            payload["repository"]?["id"]?.GetValue<long>(), redelivery, statusCode, body, Clock.GetUtcNow());
        _deliveries[id] = attempt;
        return attempt;
    }

    private void MapDeliveries(WebApplication app)
    {
        app.MapGet("/api/v3/app/hook/deliveries", (HttpContext context, int? per_page, string? cursor) =>
        {
            var size = Math.Clamp(per_page ?? 30, 1, 100);
            var below = cursor is { } c && c.StartsWith("v1_", StringComparison.Ordinal) ? long.Parse(c[3..], System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
            var newestFirst = _deliveries.Values.Where(d => d.Id < below).OrderByDescending(d => d.Id).ToList();
            var page = newestFirst.Take(size).ToList();
            if (newestFirst.Count > size)
            {
                var next = $"{BaseUrl}api/v3/app/hook/deliveries?per_page={size}&cursor=v1_{page[^1].Id}";
                context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
            }

            return Results.Json(new JsonArray([.. page.Select(d => (JsonNode)d.ToJson())]));
        });
        app.MapPost("/api/v3/app/hook/deliveries/{id:long}/attempts", async (long id) =>
        {
            if (!_deliveries.TryGetValue(id, out var original)) return Results.Json(new { message = "Not Found" }, statusCode: 404);
            await AttemptAsync(original.EventGuid, original.Event, original.Body, redelivery: true);
            return Results.Json(new JsonObject(), statusCode: StatusCodes.Status202Accepted);
        });
    }
}

/// <summary>One attempt at delivering an event, as <c>GET /app/hook/deliveries</c> lists it.</summary>
public sealed record HookAttempt(
    long Id, string EventGuid, string Event, string? Action, long? InstallationId, long? RepositoryId, bool Redelivery, int StatusCode, byte[] Body, DateTimeOffset DeliveredAt)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["guid"] = EventGuid, ["event"] = Event, ["action"] = Action, ["installation_id"] = InstallationId, ["repository_id"] = RepositoryId,
        ["redelivery"] = Redelivery, ["status_code"] = StatusCode, ["duration"] = 0.05,
        ["status"] = Succeeded ? "OK" : StatusCode == 0 ? "failed to connect to host" : $"Invalid HTTP Response: {StatusCode}",
        ["delivered_at"] = DeliveredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["throttled_at"] = null,
    };
}
