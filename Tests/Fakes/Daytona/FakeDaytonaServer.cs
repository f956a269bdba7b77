using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// A fake Daytona on a loopback port, built from /work/shared/daytona/API.md: the main API under <c>/api</c> and
/// every sandbox's toolbox under <c>/toolbox/{sandboxId}</c> (the sandbox's <c>toolboxProxyUrl</c> is
/// <see cref="ToolboxProxyUrl"/>). Session commands run as real local processes in a per-sandbox working directory.
/// State changes complete after a set number of GETs, faults are queued by tests, and every request is recorded.
/// </summary>
public sealed class FakeDaytonaServer : IAsyncDisposable
{
    public const string ApiKey = "dtn_fake0123456789abcdef0123456789abcdef0123456789abcdef01234567";

    private readonly WebApplication _app;
    private readonly DaytonaFaults _faults = new();
    private readonly LogFollows _follows = new();
    private readonly ConcurrentQueue<DaytonaRequest> _requests = new();
    private readonly SandboxStore _store;
    private readonly string _root;
    private string _baseUrl = "";

    private FakeDaytonaServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _root = Directory.CreateTempSubdirectory("fake-daytona-").FullName;
        _store = new SandboxStore(time, _root, () => ToolboxProxyUrl);
        var gate = new RequestGate(ApiKey, _faults, time, async request =>
        {
            _requests.Enqueue(request);
            if (BeforeHandling is { } hook) await hook(request);
        });
        app.UseWebSockets();
        app.Use(gate.InvokeAsync);
        app.MapSandboxApi(_store);
        app.MapToolboxApi(_store, time, _follows);
        app.MapFallback("/api/{**path}", (HttpContext http) =>
            DaytonaErrors.Api(http, StatusCodes.Status404NotFound, $"Cannot {http.Request.Method} {http.Request.Path}"));
    }

    /// <summary>The main API base, e.g. <c>http://127.0.0.1:PORT/api</c>.</summary>
    public Uri ApiUrl => new($"{_baseUrl}/api");

    /// <summary>Every sandbox's <c>toolboxProxyUrl</c>; a sandbox's toolbox base is <c>{this}/{id}</c>.</summary>
    public string ToolboxProxyUrl => $"{_baseUrl}/toolbox";

    public IReadOnlyList<DaytonaRequest> Requests => [.. _requests];

    /// <summary>Runs as each request arrives, before it is handled (crash tests kill the service here).</summary>
    public Func<DaytonaRequest, Task>? BeforeHandling { get; set; }

    /// <summary>GETs of a new (or restarted) sandbox until it shows <c>started</c>; the last of them sees it. Default 2.</summary>
    public int GetsUntilStarted { get => _store.GetsUntilStarted; set => _store.GetsUntilStarted = value; }

    /// <summary>GETs after a stop until the sandbox shows <c>stopped</c>. Default 1.</summary>
    public int GetsUntilStopped { get => _store.GetsUntilStopped; set => _store.GetsUntilStopped = value; }

    /// <summary>GETs after a delete until the sandbox is <c>destroyed</c>; that GET already answers 404. Default 1.</summary>
    public int GetsUntilDestroyed { get => _store.GetsUntilDestroyed; set => _store.GetsUntilDestroyed = value; }

    /// <summary>The organization's CPU quota over running sandboxes (tier 1: 10). A create over it → 400.</summary>
    public int CpuLimit { get => _store.CpuLimit; set => _store.CpuLimit = value; }

    /// <summary>While true, every create fails with 400 "Total CPU limit exceeded. Maximum allowed: N.".</summary>
    public bool QuotaExceeded { get => _store.QuotaExceeded; set => _store.QuotaExceeded = value; }

    /// <summary>A delay before every request is handled; aborted when the client gives up.</summary>
    public TimeSpan Latency { get => _faults.Latency; set => _faults.Latency = value; }

    public static async Task<FakeDaytonaServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        var app = builder.Build();
        var server = new FakeDaytonaServer(app, time ?? TimeProvider.System);
        await app.StartAsync();
        server._baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>
    /// The next <paramref name="count"/> main-API requests (or those <paramref name="when"/> picks) get 429 from the
    /// throttler their route counts against, with <c>Retry-After-{throttler}</c> and <c>X-RateLimit-*-{throttler}</c>.
    /// </summary>
    public void InjectRateLimit(int count = 1, TimeSpan? retryAfter = null, Func<DaytonaRequest, bool>? when = null) =>
        _faults.Add(count, StatusCodes.Status429TooManyRequests, retryAfter ?? TimeSpan.FromSeconds(1), when ?? (r => !r.IsToolbox));

    /// <summary>The next <paramref name="count"/> requests, API or toolbox (or those <paramref name="when"/> picks), fail with <paramref name="statusCode"/>.</summary>
    public void InjectServerError(int count = 1, int statusCode = StatusCodes.Status500InternalServerError, Func<DaytonaRequest, bool>? when = null) =>
        _faults.Add(count, statusCode, TimeSpan.Zero, when ?? (_ => true));

    public void ClearFaults() => _faults.Clear();

    /// <summary>The largest frame a log follow sends (default 4096); 1 cuts every marker and character across frames.</summary>
    public int FollowFrameBytes { get => _follows.FrameBytes; set => _follows.FrameBytes = value; }

    /// <summary>Log follows (WebSockets) open now.</summary>
    public int OpenFollows => _follows.Open;

    /// <summary>Breaks every open log follow without a close frame, as a lost connection would.</summary>
    public void DropFollows() => _follows.DropAll();

    /// <summary>Completes every pending state change at once, as if enough time had passed.</summary>
    public void SettleAll() => _store.SettleAll();

    /// <summary>Injected faults that no request has met yet.</summary>
    public int PendingFaults => _faults.Pending;

    /// <summary>The next created sandbox ends in <c>error</c> with <paramref name="errorReason"/> instead of <c>started</c>.</summary>
    public void FailNextCreate(string errorReason = "Failed to pull snapshot image") => _store.FailNextCreate(errorReason);

    /// <summary>Destroys a sandbox at once, as if deleted elsewhere: its processes die and GET answers 404.</summary>
    public void DestroyBehindOurBack(string idOrName)
    {
        try
        {
            _store.DestroyNow(idOrName);
        }
        catch (DaytonaException missing)
        {
            throw new ArgumentException(missing.Message, nameof(idOrName), missing);
        }
    }

    /// <summary>Sandboxes not yet destroyed.</summary>
    public IReadOnlyList<DaytonaSandboxView> LiveSandboxes => [.. _store.Live().Select(View)];

    /// <summary>A sandbox by ID or current name, destroyed ones included; null if it never existed.</summary>
    public DaytonaSandboxView? Sandbox(string idOrName) => _store.Any(idOrName) is { } sandbox ? View(sandbox) : null;

    /// <summary>Whether any process started by the sandbox's commands is still running (zombies excluded).</summary>
    public bool HasLiveProcesses(string idOrName) => _store.Any(idOrName)?.Processes.Any(p => p.IsAlive) ?? false;

    private DaytonaSandboxView View(FakeSandbox sandbox)
    {
        var json = _store.Snapshot(sandbox, listItem: false);
        return new DaytonaSandboxView(
            sandbox.Id,
            json["name"]!.GetValue<string>(),
            json["state"]!.GetValue<string>(),
            json["desiredState"]!.GetValue<string>(),
            json["errorReason"]?.GetValue<string>(),
            json["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()),
            sandbox.Env,
            json["autoStopInterval"]!.GetValue<int>(),
            json["autoArchiveInterval"]!.GetValue<int>(),
            json["autoDeleteInterval"]!.GetValue<int>(),
            DateTimeOffset.Parse(json["lastActivityAt"]!.GetValue<string>()),
            sandbox.WorkingDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sandbox in _store.Live()) sandbox.KillProcesses();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A process that escaped its group may still hold a file; the temp directory is left behind.
        }
    }
}
