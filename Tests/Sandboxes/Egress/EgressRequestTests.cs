using System.Net.Sockets;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>What the proxy answers to requests that are neither an allowed tunnel nor the model route, or not HTTP at all.</summary>
public sealed class EgressRequestTests : IAsyncLifetime
{
    private EgressHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Sandbox:Network:RequestTimeout"] = "00:00:00.300",
            ["Agent:ModelApiKey"] = EgressHarness.ModelKey,
            ["Agent:ModelApiUrl"] = $"http://127.0.0.1:{LoopbackPort.Free()}/", // never reached by these requests
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task AbsoluteFormPlainHttp_IsRefusedAndRecorded()
    {
        var sandbox = _harness.OpenSandbox();

        var plain = await SendAsync(sandbox, "GET http://example.com/index.html HTTP/1.1\r\nHost: example.com\r\n\r\n");
        var otherPort = await SendAsync(sandbox, "GET http://127.0.0.1:8080/model/v1/messages HTTP/1.1\r\n\r\n");
        var https = await SendAsync(sandbox, "GET https://pypi.org/simple/ HTTP/1.1\r\n\r\n");

        Assert.Equal(403, plain.Status);
        Assert.Equal("plain HTTP to example.com is refused: only HTTPS (CONNECT) to allowed hosts goes out\n", plain.Body);
        Assert.Equal(403, otherPort.Status);
        Assert.Equal(403, https.Status);
        Assert.Equal(["example.com", "127.0.0.1:8080", "pypi.org"], _harness.Proxy.BlockedHosts(sandbox));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n")]
    [InlineData("DELETE /v1/messages HTTP/1.1\r\n\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\n\r\n")]
    [InlineData("GET /modelx HTTP/1.1\r\n\r\n")]
    public async Task OtherOriginFormRequest_Is403AndNotRecorded(string request)
    {
        var sandbox = _harness.OpenSandbox();

        var response = await SendAsync(sandbox, request);

        Assert.Equal(request.StartsWith("OPTIONS", StringComparison.Ordinal) ? 400 : 403, response.Status);
        Assert.Empty(_harness.Proxy.BlockedHosts(sandbox));
    }

    [Theory]
    [InlineData("GET /model HTTP/2.0\r\n\r\n")]
    [InlineData("GET  /model HTTP/1.1\r\n\r\n")]
    [InlineData("GET /model HTTP/1.1\r\nBad Name: x\r\n\r\n")]
    [InlineData("GET /model HTTP/1.1\r\nNoColon\r\n\r\n")]
    [InlineData("GET /model HTTP/1.1\r\nX: a\r\n folded\r\n\r\n")]
    [InlineData("GET /model HTTP/1.1\r\nX: a\nY: b\r\n\r\n")]
    [InlineData("CONNECT host:notaport HTTP/1.1\r\n\r\n")]
    [InlineData("CONNECT bad_host!:443 HTTP/1.1\r\n\r\n")]
    [InlineData("GET ftp://example.com/ HTTP/1.1\r\n\r\n")]
    [InlineData("GET http://user@example.com/ HTTP/1.1\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n")]
    public async Task MalformedRequest_Is400(string request)
    {
        var sandbox = _harness.OpenSandbox();

        var response = await SendAsync(sandbox, request);

        Assert.Equal(400, response.Status);
        Assert.Empty(_harness.Proxy.BlockedHosts(sandbox));
    }

    [Fact]
    public async Task HeadSentAByteAtATime_IsRead()
    {
        var sandbox = _harness.OpenSandbox();
        using var client = await _harness.ConnectAsync(sandbox);

        foreach (var b in "CONNECT github.com:443 HTTP/1.1\r\nHost: github.com:443\r\n\r\n"u8.ToArray()) await RawHttp.SendAsync(client, [b]);
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(403, response.Status);
        Assert.Equal(["github.com"], _harness.Proxy.BlockedHosts(sandbox));
    }

    [Fact]
    public async Task HeadOver16KiB_Is431()
    {
        var sandbox = _harness.OpenSandbox();

        var response = await SendAsync(sandbox, $"GET /model/v1/models HTTP/1.1\r\nX-Padding: {new string('a', 16 * 1024)}\r\n\r\n");

        Assert.Equal(431, response.Status);
        Assert.Equal("request head too large\n", response.Body);
    }

    [Fact]
    public async Task SilentClient_IsClosedAfterTheRequestTimeout()
    {
        using var client = await _harness.ConnectAsync(_harness.OpenSandbox());

        Assert.True(await RawHttp.IsClosedAsync(client));
    }

    [Fact]
    public async Task HalfSentHead_Is408AfterTheRequestTimeout()
    {
        using var client = await _harness.ConnectAsync(_harness.OpenSandbox());

        await RawHttp.SendAsync(client, "GET /model/v1/mess");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(408, response.Status);
    }

    [Fact]
    public async Task BodyNotFinished_Is408AfterTheRequestTimeout()
    {
        using var client = await _harness.ConnectAsync(_harness.OpenSandbox());

        await RawHttp.SendAsync(client, "POST /model/v1/messages HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(408, response.Status);
        Assert.Equal("request not received in time\n", response.Body);
    }

    [Fact]
    public async Task ClientClosingWithoutARequest_EndsQuietly()
    {
        var sandbox = _harness.OpenSandbox();
        using (var client = await _harness.ConnectAsync(sandbox)) client.Shutdown(SocketShutdown.Both);

        await _harness.Proxy.CloseAsync(sandbox); // completes only once that connection has ended

        Assert.DoesNotContain(_harness.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    private async Task<RawResponse> SendAsync(string sandbox, string request)
    {
        using var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, System.Text.Encoding.Latin1.GetBytes(request));
        return await RawHttp.ReadResponseAsync(client);
    }
}
