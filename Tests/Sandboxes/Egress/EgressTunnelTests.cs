using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>CONNECT: tunnels to allowed hosts only, and never through an allowed name to this machine.</summary>
public sealed class EgressTunnelTests : IAsyncLifetime
{
    private readonly EchoServer _echo = new();
    private EgressHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Sandbox:Network:Allow:0"] = $"127.0.0.1:{_echo.Port}",
            ["Sandbox:Network:Allow:1"] = $"localhost:{_echo.Port}",
            ["Sandbox:Network:Allow:2"] = "127.0.0.1",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Fact]
    public async Task Connect_AllowedIpLiteral_TunnelsBytesBothWays()
    {
        var sandbox = _harness.OpenSandbox();
        using var client = await _harness.ConnectAsync(sandbox);

        // A client may send its first bytes right behind the head, before the 200 arrives: they must not be lost.
        await RawHttp.SendAsync(client, $"CONNECT 127.0.0.1:{_echo.Port} HTTP/1.1\r\nHost: 127.0.0.1:{_echo.Port}\r\n\r\nearly;");
        var head = await RawHttp.ReadHeadAsync(client);
        await RawHttp.SendAsync(client, "later");
        var echoed = await RawHttp.ReadExactlyAsync(client, "early;later".Length);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("HTTP/1.1 200 Connection Established", head);
        Assert.Equal("early;later", Encoding.ASCII.GetString(echoed));
        Assert.True(await RawHttp.IsClosedAsync(client)); // the echo server's close came through after ours
        Assert.Empty(_harness.Proxy.BlockedHosts(sandbox));
    }

    [Fact]
    public async Task Connect_HostNotAllowed_Is403RecordedOnceAndLogged()
    {
        var sandbox = _harness.OpenSandbox();

        var first = await ConnectAsync(sandbox, "github.com:443");
        var second = await ConnectAsync(sandbox, "GitHub.com.:443");

        Assert.Equal(403, first.Status);
        Assert.Equal("github.com is not on this sandbox's allow list\n", first.Body);
        Assert.Equal("close", first.Headers["connection"]);
        Assert.Equal(403, second.Status);
        Assert.Equal(["github.com"], _harness.Proxy.BlockedHosts(sandbox));
        var logged = Assert.Single(_harness.Logs.Entries, e => e.Level == LogLevel.Information && e.Values.GetValueOrDefault("Host") == "github.com");
        Assert.Equal(sandbox, logged.Values["SandboxId"]);
    }

    [Fact]
    public async Task Connect_AllowedNameResolvingToLoopback_IsRefused()
    {
        var sandbox = _harness.OpenSandbox();

        var response = await ConnectAsync(sandbox, $"localhost:{_echo.Port}");

        Assert.Equal(403, response.Status);
        Assert.Equal($"localhost:{_echo.Port} resolves to an internal address\n", response.Body);
        Assert.Equal([$"localhost:{_echo.Port}"], _harness.Proxy.BlockedHosts(sandbox));
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task Connect_PortNotInTheEntry_IsRefused()
    {
        var sandbox = _harness.OpenSandbox();
        await using var other = new EchoServer();

        // "127.0.0.1" allows port 443 only, "127.0.0.1:{echo}" that port only: no entry allows the other server's port.
        var response = await ConnectAsync(sandbox, $"127.0.0.1:{other.Port}");

        Assert.Equal(403, response.Status);
        Assert.Equal([$"127.0.0.1:{other.Port}"], _harness.Proxy.BlockedHosts(sandbox));
        Assert.Equal(0, other.Accepted);
    }

    [Fact]
    public async Task Connect_IpLiteralOfAnAllowedName_IsRefused()
    {
        var sandbox = _harness.OpenSandbox();

        // "localhost:{port}" is allowed by name; the same address written as IPv6 is not on the list.
        var response = await ConnectAsync(sandbox, $"[::1]:{_echo.Port}");

        Assert.Equal(403, response.Status);
        Assert.Equal([$"[::1]:{_echo.Port}"], _harness.Proxy.BlockedHosts(sandbox));
    }

    [Fact]
    public async Task Connect_AllowedButNothingListens_Is502AndNotRecorded()
    {
        var closedPort = LoopbackPort.Free();
        await using var harness = EgressHarness.Start(new Dictionary<string, string?> { ["Sandbox:Network:Allow:0"] = $"127.0.0.1:{closedPort}" });
        var sandbox = harness.OpenSandbox();
        using var client = await harness.ConnectAsync(sandbox);

        await RawHttp.SendAsync(client, $"CONNECT 127.0.0.1:{closedPort} HTTP/1.1\r\n\r\n");
        var response = await RawHttp.ReadResponseAsync(client);

        Assert.Equal(502, response.Status);
        Assert.Equal($"could not connect to 127.0.0.1:{closedPort} (ConnectionRefused)\n", response.Body);
        Assert.Empty(harness.Proxy.BlockedHosts(sandbox));
    }

    [Fact]
    public async Task Connect_WithoutPort_Is400()
    {
        var sandbox = _harness.OpenSandbox();

        var response = await ConnectAsync(sandbox, "127.0.0.1");

        Assert.Equal(400, response.Status);
        Assert.Equal("CONNECT needs host:port\n", response.Body);
    }

    private async Task<RawResponse> ConnectAsync(string sandbox, string target)
    {
        using var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, $"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n");
        return await RawHttp.ReadResponseAsync(client);
    }
}
