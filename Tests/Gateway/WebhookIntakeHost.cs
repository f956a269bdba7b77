using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Octokit.Webhooks;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

/// <summary>The webhook endpoint as the gateway maps it (gate and dispatcher) on a test server, with a processor that only records or the gateway's own.</summary>
public sealed class WebhookIntakeHost : IAsyncDisposable
{
    public const string Path = "/api/github/webhooks";

    private readonly WebApplication _app;

    private WebhookIntakeHost(WebApplication app, RecordingProcessor processor)
    {
        _app = app;
        Processor = processor;
        Http = app.GetTestClient();
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public RecordingProcessor Processor { get; }

    /// <summary>
    /// Starts the endpoint. With <paramref name="grains"/> the gateway's own processor routes each delivery to them;
    /// without, <see cref="Processor"/> only records what arrived. With <paramref name="signatures"/> that check replaces the real one.
    /// </summary>
    public static async Task<WebhookIntakeHost> StartAsync(
        string secret, IReadOnlyDictionary<string, string>? settings = null, IGrainFactory? grains = null, IWebhookSignatureVerifier? signatures = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["GitHub:WebhookSecret"] = secret;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.Configuration[key] = value;
        builder.Services.AddWebhookIntake();
        var processor = new RecordingProcessor();
        if (grains is null) builder.Services.AddSingleton<WebhookEventProcessor>(processor);
        else builder.Services.AddSingleton(grains);
        if (signatures is not null) builder.Services.AddSingleton(signatures);
        var app = builder.Build();
        app.MapWebhookIntake(Path);
        await app.StartAsync();
        return new WebhookIntakeHost(app, processor);
    }

    /// <summary>A delivery as GitHub sends it: JSON body, event name, a fresh delivery id and, when given, the signature.</summary>
    public static HttpRequestMessage Delivery(string? eventName, byte[] body, string? signature, string path = Path, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (eventName is not null) request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null) request.Headers.Add(WebhookGate.SignatureHeader, signature);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }

    public sealed class RecordingProcessor : WebhookEventProcessor
    {
        public ConcurrentQueue<WebhookEvent> Events { get; } = new();

        public override ValueTask ProcessWebhookAsync(WebhookHeaders headers, WebhookEvent webhookEvent, CancellationToken cancellationToken = default)
        {
            Events.Enqueue(webhookEvent);
            return ValueTask.CompletedTask;
        }
    }
}
