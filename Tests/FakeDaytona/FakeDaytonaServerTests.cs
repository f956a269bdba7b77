using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.FakeDaytona;

/// <summary>The fake's main API against API.md §2 and §5, spoken over raw HTTP with no product code.</summary>
public sealed class FakeDaytonaServerTests : IAsyncLifetime
{
    private FakeDaytonaServer _server = null!;
    private DaytonaHttp _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeDaytonaServer.StartAsync();
        _http = new DaytonaHttp(_server);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Create_ThenPoll_CreatingUntilTheSecondGetShowsStarted()
    {
        var created = await _http.CreateAsync(new JsonObject { ["name"] = "agent-1", ["snapshot"] = "my-snapshot", ["env"] = new JsonObject { ["A"] = "1" } });

        Assert.Equal("creating", created["state"]!.GetValue<string>());
        Assert.Equal("started", created["desiredState"]!.GetValue<string>());
        foreach (var field in new[] { "id", "organizationId", "name", "user", "env", "labels", "public", "networkBlockAll", "target", "cpu", "gpu", "memory", "disk", "toolboxProxyUrl", "createdAt", "updatedAt", "lastActivityAt" })
            Assert.True(created.ContainsKey(field), field);
        Assert.Equal(15, created["autoStopInterval"]!.GetValue<int>());
        Assert.Equal(10080, created["autoArchiveInterval"]!.GetValue<int>());
        Assert.Equal(-1, created["autoDeleteInterval"]!.GetValue<int>());
        Assert.Equal("daytona", created["user"]!.GetValue<string>());
        Assert.Equal(_server.ToolboxProxyUrl, created["toolboxProxyUrl"]!.GetValue<string>());
        Assert.EndsWith("/api", _server.ApiUrl.ToString(), StringComparison.Ordinal);
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("creating", (await _http.GetAsync(id))["state"]!.GetValue<string>());
        Assert.Equal("started", (await _http.GetAsync("agent-1"))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409WithTheApiErrorBody()
    {
        await _http.CreateAsync(new JsonObject { ["name"] = "twin" });

        using var response = await _http.SendAsync(HttpMethod.Post, _http.Api("sandbox"), new JsonObject { ["name"] = "twin" });

        Assert.Equal(409, (int)response.StatusCode);
        var error = await DaytonaHttp.JsonAsync(response);
        Assert.Equal(409, error["statusCode"]!.GetValue<int>());
        Assert.Equal("Conflict", error["error"]!.GetValue<string>());
        Assert.Equal("/api/sandbox", error["path"]!.GetValue<string>());
        Assert.NotNull(error["timestamp"]);
        Assert.NotNull(error["message"]);
    }

    [Fact]
    public async Task Create_ResourcesWithASnapshotOrOverQuota_Returns400()
    {
        using var resources = await _http.SendAsync(HttpMethod.Post, _http.Api("sandbox"), new JsonObject { ["snapshot"] = "s", ["cpu"] = 2 });
        _server.QuotaExceeded = true;
        using var quota = await _http.SendAsync(HttpMethod.Post, _http.Api("sandbox"), new JsonObject());

        Assert.Equal(400, (int)resources.StatusCode);
        Assert.Equal(400, (int)quota.StatusCode);
        Assert.Equal("Total CPU limit exceeded. Maximum allowed: 10.", (await DaytonaHttp.JsonAsync(quota))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_IsSoft_ThenDestroyedAndTheNameIsFreeAtOnce()
    {
        var id = await _http.StartedSandboxAsync(new JsonObject { ["name"] = "doomed" });

        using var deleted = await _http.SendAsync(HttpMethod.Delete, _http.Api("sandbox/doomed"));
        var body = await DaytonaHttp.JsonAsync(deleted);
        using var byOldName = await _http.SendAsync(HttpMethod.Get, _http.Api("sandbox/doomed"));
        var replacement = await _http.CreateAsync(new JsonObject { ["name"] = "doomed" });
        using var byId = await _http.SendAsync(HttpMethod.Get, _http.Api($"sandbox/{id}"));

        Assert.Equal(200, (int)deleted.StatusCode);
        Assert.Equal("started", body["state"]!.GetValue<string>());
        Assert.Equal("destroyed", body["desiredState"]!.GetValue<string>());
        Assert.Matches("^DESTROYED_doomed_[0-9]+$", body["name"]!.GetValue<string>());
        Assert.Equal(404, (int)byOldName.StatusCode);
        Assert.NotEqual(id, replacement["id"]!.GetValue<string>());
        Assert.Equal(404, (int)byId.StatusCode);
        Assert.Equal($"Sandbox with ID or name {id} not found", (await DaytonaHttp.JsonAsync(byId))["message"]!.GetValue<string>());
        Assert.DoesNotContain(_server.LiveSandboxes, s => s.Id == id);
    }

    [Fact]
    public async Task List_ByLabels_PagesWithACursorAndRejectsBadLabels()
    {
        for (var i = 0; i < 3; i++) await _http.CreateAsync(new JsonObject { ["labels"] = new JsonObject { ["team"] = "a", ["n"] = $"{i}" } });
        await _http.CreateAsync(new JsonObject { ["labels"] = new JsonObject { ["team"] = "b" } });
        var labels = Uri.EscapeDataString("""{"team":"a"}""");

        using var first = await _http.SendAsync(HttpMethod.Get, _http.Api($"sandbox?labels={labels}&limit=2"));
        var page1 = await DaytonaHttp.JsonAsync(first);
        var cursor = page1["nextCursor"]!.GetValue<string>();
        using var second = await _http.SendAsync(HttpMethod.Get, _http.Api($"sandbox?labels={labels}&limit=2&cursor={Uri.EscapeDataString(cursor)}"));
        var page2 = await DaytonaHttp.JsonAsync(second);
        using var bad = await _http.SendAsync(HttpMethod.Get, _http.Api("sandbox?labels=%7Bnot-json"));

        Assert.Equal(2, page1["items"]!.AsArray().Count);
        Assert.Single(page2["items"]!.AsArray());
        Assert.True(page2.ContainsKey("nextCursor"));
        Assert.Null(page2["nextCursor"]);
        var names = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(s => s!["labels"]!["n"]!.GetValue<string>()).Order();
        Assert.Equal(["0", "1", "2"], names);
        Assert.False(page1["items"]![0]!.AsObject().ContainsKey("env"));
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task AutoIntervalSetters_Answer201AndLabelsAreReplaced()
    {
        var id = await _http.StartedSandboxAsync(new JsonObject { ["labels"] = new JsonObject { ["old"] = "x" } });

        using var autostop = await _http.SendAsync(HttpMethod.Post, _http.Api($"sandbox/{id}/autostop/0"));
        using var autodelete = await _http.SendAsync(HttpMethod.Post, _http.Api($"sandbox/{id}/autodelete/30"));
        using var labels = await _http.SendAsync(HttpMethod.Put, _http.Api($"sandbox/{id}/labels"), new JsonObject { ["labels"] = new JsonObject { ["new"] = "y" } });

        Assert.Equal(201, (int)autostop.StatusCode);
        Assert.Equal(0, (await DaytonaHttp.JsonAsync(autostop))["autoStopInterval"]!.GetValue<int>());
        Assert.Equal(201, (int)autodelete.StatusCode);
        Assert.Equal(200, (int)labels.StatusCode);
        Assert.Equal("""{"labels":{"new":"y"}}""", (await DaytonaHttp.JsonAsync(labels)).ToJsonString());
        var view = _server.Sandbox(id)!;
        Assert.Equal((0, 30), (view.AutoStopInterval, view.AutoDeleteInterval));
        Assert.Equal(new Dictionary<string, string> { ["new"] = "y" }, view.Labels);
    }

    [Fact]
    public async Task Stop_EphemeralSandbox_IsDestroyed()
    {
        var id = await _http.StartedSandboxAsync(new JsonObject { ["autoDeleteInterval"] = 0 });

        using var stopped = await _http.SendAsync(HttpMethod.Post, _http.Api($"sandbox/{id}/stop"));
        using var after = await _http.SendAsync(HttpMethod.Get, _http.Api($"sandbox/{id}"));

        Assert.Equal(200, (int)stopped.StatusCode);
        Assert.Equal("destroyed", (await DaytonaHttp.JsonAsync(stopped))["desiredState"]!.GetValue<string>());
        Assert.Equal(404, (int)after.StatusCode);
    }

    [Fact]
    public async Task InjectedRateLimit_Answers429WithTheCreateThrottlersHeaders_ThenRecovers()
    {
        _server.InjectRateLimit(1, TimeSpan.FromSeconds(7));

        using var limited = await _http.SendAsync(HttpMethod.Post, _http.Api("sandbox"), new JsonObject());
        using var next = await _http.SendAsync(HttpMethod.Post, _http.Api("sandbox"), new JsonObject());

        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("7", Assert.Single(limited.Headers.GetValues("Retry-After-sandbox-create")));
        Assert.Equal("0", Assert.Single(limited.Headers.GetValues("X-RateLimit-Remaining-sandbox-create")));
        Assert.False(limited.Headers.Contains("Retry-After"));
        Assert.Equal(429, (await DaytonaHttp.JsonAsync(limited))["statusCode"]!.GetValue<int>());
        Assert.Equal(200, (int)next.StatusCode);
    }

    [Fact]
    public async Task InjectedServerError_AnswersTheStatusOnce()
    {
        _server.InjectServerError(1, 503);

        using var failed = await _http.SendAsync(HttpMethod.Get, _http.Api("sandbox"));
        using var next = await _http.SendAsync(HttpMethod.Get, _http.Api("sandbox"));

        Assert.Equal(503, (int)failed.StatusCode);
        Assert.Equal(200, (int)next.StatusCode);
    }

    [Fact]
    public async Task FailNextCreate_SandboxEndsInErrorWithItsReason()
    {
        _server.FailNextCreate("Failed to pull snapshot image");
        var id = (await _http.CreateAsync())["id"]!.GetValue<string>();

        await _http.GetAsync(id);
        var failed = await _http.GetAsync(id);

        Assert.Equal("error", failed["state"]!.GetValue<string>());
        Assert.Equal("Failed to pull snapshot image", failed["errorReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task DestroyBehindOurBack_GetAnswers404()
    {
        var id = await _http.StartedSandboxAsync();

        _server.DestroyBehindOurBack(id);
        using var response = await _http.SendAsync(HttpMethod.Get, _http.Api($"sandbox/{id}"));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Empty(_server.LiveSandboxes);
    }

    [Fact]
    public async Task WrongKey_Answers401OnBothSides_AndEveryRequestIsRecorded()
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Add("X-Daytona-SDK-Version", "0.190.0");

        using var api = await client.GetAsync(_http.Api("sandbox"));
        using var toolbox = await client.GetAsync($"{_server.ToolboxProxyUrl}/some-id/work-dir");

        Assert.Equal(401, (int)api.StatusCode);
        Assert.Equal("Unauthorized", (await DaytonaHttp.JsonAsync(api))["error"]!.GetValue<string>());
        Assert.Equal(401, (int)toolbox.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await DaytonaHttp.JsonAsync(toolbox))["code"]!.GetValue<string>());
        Assert.Equal(["/api/sandbox", "/toolbox/some-id/work-dir"], _server.Requests.Select(r => r.PathAndQuery));
        Assert.All(_server.Requests, r => Assert.Equal("0.190.0", r.Header("X-Daytona-SDK-Version")));
    }
}
