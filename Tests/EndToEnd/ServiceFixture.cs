using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Runs;
using SandboxAgents.Gateway.Webhooks;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.EndToEnd;

/// <summary>
/// The whole service as <c>dotnet run --project Silo</c> starts it, configured only through its documented keys:
/// a fake GitHub API, a real bare repository for git, a sandbox backend chosen by the subclass, and a scripted
/// agent. Only the runs' clock is fake, so the time-out is reached without waiting; everything else keeps real time.
/// </summary>
public abstract class ServiceFixture : IAsyncLifetime
{
    public const string WebhookSecret = "end-to-end-webhook-secret";
    public const string Repository = "octo/widgets";
    public const string OperatorKey = "operator-key-for-tests";
    public const string AnthropicKey = "sk-ant-e2e-not-a-real-key-0123456789";
    public static readonly TimeSpan AgentTimeout = TimeSpan.FromMinutes(20);

    private readonly DirectoryInfo _root = OpenTempFolder.Create("sandbox-agents-e2e-");
    private WebApplicationFactory<Program> _factory = null!;
    private int _delivery;

    /// <summary>The secrets this fixture's service holds: the constants above unless a subclass picks its own.</summary>
    public virtual FixtureSecrets Secrets => FixtureSecrets.Defaults;

    /// <summary>The runs' clock: it ticks a millisecond per reading, so that times still order events, and jumps when a test moves it.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
    public FakeGitHubServer GitHub { get; private set; } = null!;

    /// <summary>The model API the service relays agents' model requests to, with <see cref="AnthropicKey"/>.</summary>
    public FakeModelApi Model { get; private set; } = null!;
    public LogCollector Logs { get; } = new();
    public BareRepository Git { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    protected string Root => _root.FullName;

    /// <summary>True while any sandbox this service created still exists in the backend.</summary>
    public abstract bool HasLiveSandboxes { get; }

    /// <summary>Starts the sandbox backend and returns the settings that point the service at it.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string>> StartSandboxesAsync(string agentsFolder);

    protected virtual ValueTask StopSandboxesAsync() => ValueTask.CompletedTask;

    /// <summary>Changes how the service authenticates to the fake GitHub (by default with <see cref="FixtureSecrets.GitHubToken"/>).</summary>
    protected virtual Task ConfigureGitHubAsync(Dictionary<string, string> settings) => Task.CompletedTask;

    /// <summary>Adjusts the configured factory before it starts (by default the service runs on the in-memory test server).</summary>
    protected virtual void ConfigureFactory(WebApplicationFactory<Program> factory)
    {
    }

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHubServer.StartAsync(Secrets.GitHubToken);
        Model = await FakeModelApi.StartAsync();
        var gitRoot = Path.Combine(_root.FullName, "git");
        Git = BareRepository.Create(gitRoot, "octo", "widgets");
        var agents = OpenTempFolder.Agents();

        var settings = new Dictionary<string, string>
        {
            ["GitHub:WebhookSecret"] = Secrets.WebhookSecret,
            ["GitHub:Token"] = Secrets.GitHubToken,
            ["GitHub:ApiUrl"] = GitHub.BaseUrl.ToString(),
            ["GitHub:GitUrl"] = new Uri(gitRoot + "/").AbsoluteUri,
            ["Agent:Command"] = $"bash {Path.Combine(agents, "scripted-agent.sh")}",
            ["Agent:Timeout"] = AgentTimeout.ToString(),
            ["Agent:ModelApiKey"] = Secrets.ModelKey,
            ["Agent:ModelApiUrl"] = Model.BaseUrl.ToString(),
            ["Api:Key"] = Secrets.OperatorKey,
            ["Runs:PollInterval"] = "00:00:00.100",
            ["Runs:InstanceId"] = "e2e",
            ["Reaper:Period"] = "00:00:01",
            ["Storage:Provider"] = "memory",
            ["Storage:Path"] = Path.Combine(_root.FullName, "data"),
            ["Orleans:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "e2e-" + Guid.NewGuid().ToString("N")[..8],
        };

        foreach (var (key, value) in await StartSandboxesAsync(agents)) settings[key] = value;
        await ConfigureGitHubAsync(settings);
        Settings = settings;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in settings) web.UseSetting(key, value);
            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                services.AddKeyedSingleton<TimeProvider>(RunClock.Key, Clock);
            });
        });
        ConfigureFactory(_factory);
        Http = _factory.CreateClient();
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Secrets.OperatorKey);
        (await Http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    /// <summary>The settings the service was started with.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    /// <summary>The running service's own services (its sandbox provider, its grain factory).</summary>
    public IServiceProvider Services => _factory.Services;

    public HttpClient CreateClient(WebApplicationFactoryClientOptions options) => _factory.CreateClient(options);

    public Task<HttpResponseMessage> SendWebhookAsync(string eventName, JsonObject payload, string? deliveryId = null, bool sign = true)
    {
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/github/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? $"e2e-{Interlocked.Increment(ref _delivery)}-{Guid.NewGuid():N}");
        request.Headers.Add("User-Agent", "GitHub-Hookshot/e2e");
        if (sign) request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(Secrets.WebhookSecret, body));
        return Http.SendAsync(request);
    }

    public async Task<JsonObject?> GetTaskAsync(int number)
    {
        var response = await Http.GetAsync(new Uri($"/api/tasks/{Repository}/{number}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonNode.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync())!.AsObject();
    }

    public Task<HttpResponseMessage> OperatorPostAsync(string path, object? body = null, string? key = OperatorKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body),
        };
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return Http.SendAsync(request);
    }

    public Task<JsonObject> WaitForStateAsync(int number, string state) =>
        Eventually.MatchesAsync(async () => (await GetTaskAsync(number))!, t => t?["state"]?.GetValue<string>() == state, $"issue {number} {state}")!;

    /// <summary>
    /// Waits until the issue's one status comment says <paramref name="words"/>. The API can show a run's ending while
    /// the tick that reached it is still under way (reads interleave with it), and the comment is written later in
    /// that tick; a run that ends within its first tick has no comment before then.
    /// </summary>
    public async Task<JsonObject> FinalCommentAsync(int number, string words)
    {
        await Eventually.TrueAsync(() => GitHub.CommentsOn(Repository, number) is [var comment] && comment["body"]!.GetValue<string>().Contains(words, StringComparison.Ordinal),
            $"the status comment of #{number} to say '{words}'");
        return Assert.Single(GitHub.CommentsOn(Repository, number));
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        if (GitHub is not null) await GitHub.DisposeAsync();
        if (Model is not null) await Model.DisposeAsync();
        await StopSandboxesAsync();
        _root.Delete(recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

