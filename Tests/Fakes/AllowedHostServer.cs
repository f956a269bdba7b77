using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Fakes;

/// <summary>A host a sandbox's allow list names (a package registry, say): on loopback, answering every request with <see cref="Answer"/>.</summary>
public sealed class AllowedHostServer : IAsyncDisposable
{
    public const string Answer = "registry ok";
    private readonly WebApplication _app;

    private AllowedHostServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Requests => _requests;

    private int _requests;

    public static async Task<AllowedHostServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new AllowedHostServer(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref server._requests);
            await context.Response.WriteAsync(Answer);
        });
        await app.StartAsync();
        server.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
