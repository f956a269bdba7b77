using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A fake Messages API on a loopback port: records each request exactly as it arrived (raw target, header fields,
/// body) and answers with <see cref="Respond"/>: by default a small JSON message, or server-sent events that a test
/// releases one at a time.
/// </summary>
public sealed class FakeModelApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeModelApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<ModelApiRequest> Requests { get; } = new();

    public Func<HttpContext, Task> Respond { get; set; } = RespondWithMessageAsync;

    public static async Task<FakeModelApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new FakeModelApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return api;
    }

    /// <summary>Answers with server-sent events, each one written and flushed only once its gate completes.</summary>
    public static Func<HttpContext, Task> StreamEvents(params (string Name, string Data, Task Gate)[] events) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        foreach (var (name, data, gate) in events)
        {
            await gate;
            await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n");
            await context.Response.Body.FlushAsync();
        }
    };

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Requests.Enqueue(new ModelApiRequest(context.Request.Method, target, headers, body.ToArray()));
        await Respond(context);
    }

    private static async Task RespondWithMessageAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers["request-id"] = "req_fake_1";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("""{"type":"message","content":[{"type":"text","text":"hello"}]}"""));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ModelApiRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
