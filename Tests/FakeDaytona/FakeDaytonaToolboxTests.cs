using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.FakeDaytona;

/// <summary>The fake's toolbox against API.md §4: real processes, the §4.3 output formats, files, errors.</summary>
public sealed class FakeDaytonaToolboxTests : IAsyncLifetime
{
    private const string Out = CommandOutput.StdoutMarker;
    private const string Err = CommandOutput.StderrMarker;

    private FakeDaytonaServer _server = null!;
    private DaytonaHttp _http = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeDaytonaServer.StartAsync();
        _http = new DaytonaHttp(_server);
        _id = await _http.StartedSandboxAsync(new JsonObject { ["env"] = new JsonObject { ["GREETING"] = "hello" } });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Execute_MergesOutput_SeesOnlyTheSandboxEnvironment_AndRunsInTheWorkingDirectory()
    {
        var command = """bash -c 'echo "$GREETING"; echo "${DOTNET_ROOT:-none}"; pwd; echo oops >&2; exit 3'""";

        using var response = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/execute"), new JsonObject { ["command"] = command, ["envs"] = new JsonObject { ["EXTRA"] = "1" } });
        var body = await DaytonaHttp.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(3, body["exitCode"]!.GetValue<int>());
        Assert.Equal($"hello\nnone\n{_server.Sandbox(_id)!.WorkingDirectory}\noops\n", body["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_PastItsTimeout_Answers408AndKillsTheProcess()
    {
        using var response = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/execute"), new JsonObject { ["command"] = "sleep 30", ["timeout"] = 1 });

        Assert.Equal(408, (int)response.StatusCode);
        var error = await DaytonaHttp.JsonAsync(response);
        Assert.Equal("REQUEST_TIMEOUT", error["code"]!.GetValue<string>());
        Assert.Equal("/process/execute", error["path"]!.GetValue<string>());
        Assert.Equal("POST", error["method"]!.GetValue<string>());
        await Eventually.TrueAsync(() => !_server.HasLiveProcesses(_id), "the timed-out process to die");
    }

    [Fact]
    public async Task Session_AsyncCommand_HasNoExitCodeWhileRunning_ThenLogsInAllThreeFormats()
    {
        using var created = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "s1" });
        using var duplicate = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "s1" });
        var command = "while [ ! -f go ]; do sleep 0.02; done; echo out1; echo err1 >&2; echo out2";
        using var exec = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/s1/exec"), new JsonObject { ["command"] = command, ["runAsync"] = true });
        var cmdId = (await DaytonaHttp.JsonAsync(exec))["cmdId"]!.GetValue<string>();
        var running = await CommandAsync(cmdId);
        await File.WriteAllTextAsync(Path.Combine(_server.Sandbox(_id)!.WorkingDirectory, "go"), "");
        var done = await Eventually.MatchesAsync(() => CommandAsync(cmdId), c => c.ContainsKey("exitCode"), "the command to finish");

        Assert.Equal(201, (int)created.StatusCode);
        Assert.Equal("", await created.Content.ReadAsStringAsync());
        Assert.Equal(409, (int)duplicate.StatusCode);
        Assert.Equal(202, (int)exec.StatusCode);
        Assert.Equal(command, running["command"]!.GetValue<string>());
        Assert.False(running.ContainsKey("exitCode"));
        Assert.Equal(0, done["exitCode"]!.GetValue<int>());

        using var split = await LogsAsync(cmdId, "0.190.0");
        var json = await DaytonaHttp.JsonAsync(split);
        Assert.Equal("application/json", split.Content.Headers.ContentType!.MediaType);
        Assert.Equal("out1\nout2\n", json["stdout"]!.GetValue<string>());
        Assert.Equal("err1\n", json["stderr"]!.GetValue<string>());
        var output = json["output"]!.GetValue<string>();
        Assert.Contains($"{Err}err1\n", output, StringComparison.Ordinal);
        Assert.Equal($"{Out}out1\n{Out}out2\n", output.Replace($"{Err}err1\n", "", StringComparison.Ordinal));

        using var raw = await LogsAsync(cmdId, "0.100.0");
        Assert.Equal("text/plain", raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal(json["output"]!.GetValue<string>(), await raw.Content.ReadAsStringAsync());

        using var plain = await LogsAsync(cmdId, sdkVersion: null);
        Assert.Equal("text/plain", plain.Content.Headers.ContentType!.MediaType);
        var stripped = await plain.Content.ReadAsStringAsync();
        Assert.DoesNotContain('\u0001', stripped);
        Assert.DoesNotContain('\u0002', stripped);
        Assert.Equal(["err1", "out1", "out2"], stripped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }

    [Fact]
    public async Task Session_SyncExec_AnswersOutputStdoutStderrAndExitCode()
    {
        await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "s" });

        using var response = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/s/exec"), new JsonObject { ["command"] = "echo a; echo b >&2; exit 4" }, "0.190.0");
        var body = await DaytonaHttp.JsonAsync(response);
        using var session = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "process/session/s"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(4, body["exitCode"]!.GetValue<int>());
        Assert.Equal("a\n", body["stdout"]!.GetValue<string>());
        Assert.Equal("b\n", body["stderr"]!.GetValue<string>());
        Assert.Contains($"{Out}a\n", body["output"]!.GetValue<string>(), StringComparison.Ordinal);
        var listed = (await DaytonaHttp.JsonAsync(session))["commands"]!.AsArray().Single()!;
        Assert.Equal(body["cmdId"]!.GetValue<string>(), listed["id"]!.GetValue<string>());
        Assert.Equal(4, listed["exitCode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Session_RealGitWorksInTheWorkingDirectory()
    {
        await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "git" });
        var command = "git init -q repo && cd repo && echo hi > a.txt && git add a.txt && git -c user.name=A -c user.email=a@example.com commit -qm first && git log --format=%s";

        using var response = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/git/exec"), new JsonObject { ["command"] = command }, "0.190.0");
        var body = await DaytonaHttp.JsonAsync(response);

        Assert.Equal(0, body["exitCode"]!.GetValue<int>());
        Assert.Equal("first\n", body["stdout"]!.GetValue<string>());
        Assert.True(Directory.Exists(Path.Combine(_server.Sandbox(_id)!.WorkingDirectory, "repo", ".git")));
    }

    [Fact]
    public async Task Session_Unknown_ExecAnswers500AndGetAnswers404()
    {
        using var exec = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/nope/exec"), new JsonObject { ["command"] = "true" });
        using var get = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "process/session/nope"));

        Assert.Equal(500, (int)exec.StatusCode);
        Assert.Equal(404, (int)get.StatusCode);
        Assert.Equal("NOT_FOUND", (await DaytonaHttp.JsonAsync(get))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_KillsARunningSessionCommandsWholeProcessTree()
    {
        await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "agent" });
        await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/agent/exec"), new JsonObject { ["command"] = "sleep 300 & sleep 300; wait", ["async"] = true });
        await Eventually.TrueAsync(() => _server.HasLiveProcesses(_id), "the command to run");

        using var deleted = await _http.SendAsync(HttpMethod.Delete, _http.Api($"sandbox/{_id}"));

        Assert.Equal(200, (int)deleted.StatusCode);
        await Eventually.TrueAsync(() => !_server.HasLiveProcesses(_id), "every process of the deleted sandbox to die");
    }

    [Fact]
    public async Task BulkUpload_ThenDownload_RoundTripsBytesAndCreatesParents()
    {
        var bytes = new byte[] { 0, 1, 2, 255, 10, 13 };
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("nested/dir/data.bin"), "files[0].path");
        form.Add(new ByteArrayContent(bytes), "files[0].file", "nested/dir/data.bin");
        using var upload = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, _http.Toolbox(_id, "files/bulk-upload")) { Content = form });

        using var download = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "files/download?path=nested/dir/data.bin"));
        using var missing = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "files/download?path=nope.txt"));
        using var directory = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "files/download?path=nested"));
        using var escaping = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "files/download?path=../../etc/passwd"));

        Assert.Equal(200, (int)upload.StatusCode);
        Assert.Equal("""{"files":[{"path":"nested/dir/data.bin","bytes":6}]}""", (await DaytonaHttp.JsonAsync(upload)).ToJsonString());
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(400, (int)directory.StatusCode);
        Assert.Equal(403, (int)escaping.StatusCode);
    }

    [Fact]
    public async Task BulkUpload_FilePartBeforeItsPath_Answers400WithErrorsAndFiles()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("x")), "files[0].file", "a.txt");
        form.Add(new StringContent("a.txt"), "files[0].path");

        using var upload = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Post, _http.Toolbox(_id, "files/bulk-upload")) { Content = form });
        var body = await DaytonaHttp.JsonAsync(upload);

        Assert.Equal(400, (int)upload.StatusCode);
        Assert.Single(body["errors"]!.AsArray());
        Assert.Empty(body["files"]!.AsArray());
    }

    [Fact]
    public async Task ToolboxRequests_MarkActivityUnlessAskedNotTo()
    {
        var before = _server.Sandbox(_id)!.LastActivityAt;
        using var skipped = new HttpRequestMessage(HttpMethod.Get, _http.Toolbox(_id, "work-dir"));
        skipped.Headers.Add("X-Daytona-Skip-Last-Activity-Update", "true");
        await _http.SendAsync(skipped);
        var afterSkip = _server.Sandbox(_id)!.LastActivityAt;
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > before.AddMilliseconds(2), "the clock to move past the last stamp");

        await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "work-dir"));

        Assert.Equal(before, afterSkip);
        Assert.True(_server.Sandbox(_id)!.LastActivityAt > before);
    }

    [Fact]
    public async Task Toolbox_OfADestroyedSandbox_Answers404()
    {
        _server.DestroyBehindOurBack(_id);

        using var response = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, "work-dir"));

        Assert.Equal(404, (int)response.StatusCode);
    }

    private async Task<JsonObject> CommandAsync(string cmdId)
    {
        using var response = await _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, $"process/session/s1/command/{cmdId}"));
        return await DaytonaHttp.JsonAsync(response);
    }

    private Task<HttpResponseMessage> LogsAsync(string cmdId, string? sdkVersion) =>
        _http.SendAsync(HttpMethod.Get, _http.Toolbox(_id, $"process/session/s1/command/{cmdId}/logs"), sdkVersion: sdkVersion);
}
