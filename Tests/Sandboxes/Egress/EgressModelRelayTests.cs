using SandboxAgents.Tests.Fakes;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>The model route: the agent's requests reach the model API with the service's key, and answers stream back.</summary>
public sealed class EgressModelRelayTests : IAsyncLifetime
{
    private const int MaxBody = 64 * 1024;
    private FakeModelApi _api = null!;
    private EgressHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeModelApi.StartAsync();
        _harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Agent:ModelApiUrl"] = new Uri(_api.BaseUrl, "/anthropic/").ToString(),
            ["Agent:ModelApiKey"] = EgressHarness.ModelKey,
            ["Sandbox:Network:MaxRequestBodyBytes"] = MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Relay_AgentRequest_ReachesTheApiWithTheRealKeyOnly()
    {
        using var http = _harness.ModelClient(_harness.OpenSandbox());
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages?beta=true") { Content = new StringContent("""{"model":"m"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", EgressEndpoint.PlaceholderApiKey);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "agent-token");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "tools-2024");
        request.Headers.UserAgent.ParseAdd("claude-cli/2.1.328");
        request.Headers.Add("Proxy-Authorization", "Basic c2VjcmV0");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":"message","content":[{"type":"text","text":"hello"}]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("req_fake_1", Assert.Single(response.Headers.GetValues("request-id")));
        var seen = Assert.Single(_api.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/anthropic/v1/messages?beta=true", seen.Target);
        Assert.Equal(EgressHarness.ModelKey, seen.Headers["x-api-key"]);
        Assert.False(seen.Headers.ContainsKey("authorization"));
        Assert.False(seen.Headers.ContainsKey("proxy-authorization"));
        Assert.Equal("2023-06-01", seen.Headers["anthropic-version"]);
        Assert.Equal("tools-2024", seen.Headers["anthropic-beta"]);
        Assert.Equal("claude-cli/2.1.328", seen.Headers["user-agent"]);
        Assert.Equal("application/json; charset=utf-8", seen.Headers["content-type"]);
        Assert.Equal($"127.0.0.1:{_api.BaseUrl.Port}", seen.Headers["host"]);
        Assert.Equal("""{"model":"m"}""", seen.BodyText);
        Assert.DoesNotContain(EgressEndpoint.PlaceholderApiKey, string.Join(" ", seen.Headers.Values), StringComparison.Ordinal);
        Assert.DoesNotContain(EgressHarness.ModelKey, _harness.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"model\"", _harness.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_ChunkedBody_ArrivesWhole()
    {
        var sandbox = _harness.OpenSandbox();
        using var client = await _harness.ConnectAsync(sandbox);

        await RawHttp.SendAsync(client,
            "POST /model/v1/messages HTTP/1.1\r\nHost: 127.0.0.1:3128\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "6;ext=1\r\n{\"a\":1\r\n" + "1\r\n}\r\n" + "0\r\nX-Trailer: dropped\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(200, response.Status);
        Assert.Equal("chunked", response.Headers["transfer-encoding"]);
        Assert.Equal("close", response.Headers["connection"]);
        var seen = Assert.Single(_api.Requests);
        Assert.Equal("{\"a\":1}", seen.BodyText);
        Assert.Equal("7", seen.Headers["content-length"]);
        Assert.False(seen.Headers.ContainsKey("transfer-encoding"));
    }

    [Fact]
    public async Task Relay_LargeBodies_ArriveByteForByte()
    {
        var sandbox = _harness.OpenSandbox();
        var body = new byte[MaxBody];
        new Random(7).NextBytes(body);
        using var http = _harness.ModelClient(sandbox);
        using var client = await _harness.ConnectAsync(sandbox);
        var framed = new List<byte>(Encoding.ASCII.GetBytes("POST /model/v1/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var piece in body.Chunk(10_000)) // chunks that straddle the proxy's 16 KiB reads
        {
            framed.AddRange(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            framed.AddRange(piece);
            framed.AddRange("\r\n"u8.ToArray());
        }

        framed.AddRange("0\r\n\r\n"u8.ToArray());

        using var declared = await http.PostAsync("v1/messages", new ByteArrayContent(body));
        await RawHttp.SendAsync(client, [.. framed]);
        var chunked = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Equal(200, chunked.Status);
        Assert.All(_api.Requests, r => Assert.Equal(body, r.Body));
        Assert.Equal(2, _api.Requests.Count);
    }

    [Fact]
    public async Task Relay_GetWithoutBody_KeepsPathAndQuery()
    {
        using var http = _harness.ModelClient(_harness.OpenSandbox());

        using var response = await http.GetAsync("v1/messages/count_tokens?x=1&y=%2F");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(_api.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/anthropic/v1/messages/count_tokens?x=1&y=%2F", seen.Target);
        Assert.Empty(seen.Body);
    }

    [Theory]
    [InlineData("v1/files")]
    [InlineData("v1/models")]
    [InlineData("v1/messages/batches")]
    [InlineData("v1/organizations/api_keys")]
    [InlineData("api/hello")]
    public async Task Relay_PathNotOpenToSandboxes_IsNotFoundAndNeverSentUp(string path)
    {
        using var http = _harness.ModelClient(_harness.OpenSandbox());

        using var response = await http.PostAsync(path, new StringContent("{}"));

        // 404, as for a path the API does not have: the CLI ignores that for what it only probes (GET /api/hello).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Relay_EventStream_ReachesTheAgentEventByEvent()
    {
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.Respond = FakeModelApi.StreamEvents(
            ("message_start", """{"type":"message_start"}""", Task.CompletedTask),
            ("message_stop", """{"type":"message_stop"}""", firstRead.Task));
        using var http = _harness.ModelClient(_harness.OpenSandbox());

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages?beta=true") { Content = new StringContent("{}") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The second event is written only after the first has been read here: a buffering relay would hang.
        var first = await ReadEventAsync(events);
        firstRead.SetResult();
        var second = await ReadEventAsync(events);

        Assert.Equal("event: message_start\ndata: {\"type\":\"message_start\"}", first);
        Assert.Equal("event: message_stop\ndata: {\"type\":\"message_stop\"}", second);
        Assert.Null(await events.ReadLineAsync().WaitAsync(RawHttp.Bound));
    }

    [Fact]
    public async Task Relay_ExpectContinue_IsAnsweredBeforeTheBodyIsSent()
    {
        using var client = await _harness.ConnectAsync(_harness.OpenSandbox());

        await RawHttp.SendAsync(client, "POST /model/v1/messages HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        var interim = await RawHttp.ReadHeadAsync(client);
        await RawHttp.SendAsync(client, "{}");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal("HTTP/1.1 100 Continue", interim);
        Assert.Equal(200, response.Status);
        var seen = Assert.Single(_api.Requests);
        Assert.Equal("{}", seen.BodyText);
        Assert.False(seen.Headers.ContainsKey("expect"));
    }

    [Fact]
    public async Task Relay_Http10Client_GetsTheBodyUntilTheClose()
    {
        using var client = await _harness.ConnectAsync(_harness.OpenSandbox());

        await RawHttp.SendAsync(client, "GET /model/v1/messages/count_tokens HTTP/1.0\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(200, response.Status);
        Assert.False(response.Headers.ContainsKey("transfer-encoding"));
        Assert.Equal("""{"type":"message","content":[{"type":"text","text":"hello"}]}""", response.Body);
    }

    [Fact]
    public async Task Relay_AgentHangsUpWhileTheModelThinks_CancelsTheUpstreamRequest()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.Respond = async context =>
        {
            arrived.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted); // a model that never answers
            }
            catch (OperationCanceledException)
            {
                aborted.SetResult();
            }
        };
        var client = await _harness.ConnectAsync(_harness.OpenSandbox());
        await RawHttp.SendAsync(client, "POST /model/v1/messages HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        await arrived.Task.WaitAsync(RawHttp.Bound);

        client.Dispose();

        await aborted.Task.WaitAsync(RawHttp.Bound);
    }

    [Fact]
    public async Task Relay_AbsoluteFormToTheProxyItself_IsRelayed()
    {
        var sandbox = _harness.OpenSandbox();
        using var client = await _harness.ConnectAsync(sandbox);

        await RawHttp.SendAsync(client, "GET http://localhost:3128/model/v1/messages/count_tokens HTTP/1.1\r\nHost: localhost:3128\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(200, response.Status);
        Assert.Equal("/anthropic/v1/messages/count_tokens", Assert.Single(_api.Requests).Target);
    }

    [Fact]
    public async Task Relay_BodyOverTheCap_Is413AndNotSent()
    {
        var sandbox = _harness.OpenSandbox();
        var half = new string('x', MaxBody / 2);

        var declared = await SendAsync(sandbox, $"POST /model/v1/messages HTTP/1.1\r\nContent-Length: {MaxBody + 1}\r\n\r\n{half}");
        var chunked = await SendAsync(sandbox, $"POST /model/v1/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{half.Length:x}\r\n{half}\r\n{half.Length + 1:x}\r\n{half}x\r\n0\r\n\r\n");

        Assert.Equal(413, declared.Status);
        Assert.Equal($"request body larger than {MaxBody} bytes\n", declared.Body);
        Assert.Equal(413, chunked.Status);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("/model/../admin")]
    [InlineData("/model/v1/%2e%2E/admin")]
    [InlineData("/model/v1%2fmessages")]
    [InlineData("/model/v1\\..\\admin")]
    public async Task Relay_PathClimbingOutOfTheApi_Is400(string target)
    {
        var response = await SendAsync(_harness.OpenSandbox(), $"GET {target} HTTP/1.1\r\n\r\n");

        Assert.Equal(400, response.Status);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Relay_WithoutAModelKey_Is503()
    {
        await using var harness = EgressHarness.Start(new Dictionary<string, string?> { ["Agent:ModelApiUrl"] = _api.BaseUrl.ToString() });
        using var http = harness.ModelClient(harness.OpenSandbox());

        using var response = await http.PostAsync("v1/messages", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("the service has no model key configured\n", await response.Content.ReadAsStringAsync());
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task Relay_ModelApiDown_Is502()
    {
        await using var harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Agent:ModelApiUrl"] = $"http://127.0.0.1:{LoopbackPort.Free()}/",
            ["Agent:ModelApiKey"] = EgressHarness.ModelKey,
        });
        using var http = harness.ModelClient(harness.OpenSandbox());

        using var response = await http.PostAsync("v1/messages", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("the model API could not be reached\n", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(EgressHarness.ModelKey, harness.Logs.AllText, StringComparison.Ordinal);
    }

    private async Task<RawResponse> SendAsync(string sandbox, string request)
    {
        using var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, request);
        return await RawHttp.ReadResponseAsync(client);
    }

    private static async Task<string> ReadEventAsync(StreamReader events)
    {
        var lines = new List<string>();
        while (await events.ReadLineAsync().WaitAsync(RawHttp.Bound) is { Length: > 0 } line) lines.Add(line);
        return string.Join("\n", lines);
    }
}
