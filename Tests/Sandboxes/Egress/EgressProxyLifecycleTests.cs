using System.Diagnostics;
using System.Net.Sockets;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Tests.Sandboxes.Egress;

/// <summary>Opening and closing a sandbox's socket, who may connect to it, and what each sandbox's record holds.</summary>
public sealed class EgressProxyLifecycleTests : IAsyncLifetime
{
    private readonly EchoServer _echo = new();
    private EgressHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = EgressHarness.Start(new Dictionary<string, string?>
        {
            ["Sandbox:Network:Allow:0"] = $"127.0.0.1:{_echo.Port}",
            ["Sandbox:Network:MaxConnectionsPerSandbox"] = "2",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Fact]
    public async Task Open_Twice_IsIdempotent()
    {
        var sandbox = _harness.OpenSandbox();
        using var before = await _harness.ConnectAsync(sandbox);

        _harness.Proxy.Open(sandbox, _harness.SocketPath(sandbox));

        Assert.True(_harness.Proxy.IsOpen(sandbox));
        await RawHttp.SendAsync(before, $"CONNECT 127.0.0.1:{_echo.Port} HTTP/1.1\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection Established", await RawHttp.ReadHeadAsync(before));
        Assert.Throws<InvalidOperationException>(() => _harness.Proxy.Open(sandbox, _harness.SocketPath("elsewhere")));
    }

    [Fact]
    public async Task Open_OverAStaleSocketFile_Listens()
    {
        const string sandbox = "sbx-restarted";
        var path = _harness.SocketPath(sandbox);
        // A socket file outlives a process that dies: bound elsewhere and moved, .NET's clean-up on dispose misses it.
        using (var old = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            old.Bind(new UnixDomainSocketEndPoint(path + ".old"));
            File.Move(path + ".old", path);
        }

        Assert.True(File.Exists(path));
        await Assert.ThrowsAsync<SocketException>(() => _harness.ConnectAsync(sandbox));

        _harness.Proxy.Open(sandbox, path);
        using var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, $"CONNECT 127.0.0.1:{_echo.Port} HTTP/1.1\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 Connection Established", await RawHttp.ReadHeadAsync(client));
    }

    [Fact]
    public void Open_InAFolderThatIsMissing_ThrowsAndStaysClosed()
    {
        var path = Path.Combine(_harness.Folder.FullName, "missing", EgressEndpoint.SocketFileName);

        Assert.Throws<DirectoryNotFoundException>(() => _harness.Proxy.Open("sbx-nowhere", path));

        Assert.False(_harness.Proxy.IsOpen("sbx-nowhere"));
    }

    [Fact]
    public async Task Open_WithoutOwner_LetsAnyoneConnect()
    {
        var sandbox = _harness.OpenSandbox();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite,
            File.GetUnixFileMode(_harness.SocketPath(sandbox)));
        using var client = await _harness.ConnectAsync(sandbox);
    }

    [RootFact]
    public async Task Open_WithOwner_HandsTheSocketToThatUserOnly()
    {
        const string sandbox = "sbx-owned";
        var path = _harness.SocketPath(sandbox);

        _harness.Proxy.Open(sandbox, path, ownerUid: 4242, ownerGid: 4343);

        Assert.Equal("4242:4343:600", await StatAsync(path));
        using var root = await _harness.ConnectAsync(sandbox); // root still may; the sandbox's user is the only other
    }

    [Fact]
    public async Task CloseAsync_StopsAcceptingAndEndsOpenTunnels()
    {
        var sandbox = _harness.OpenSandbox();
        using var tunnel = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(tunnel, $"CONNECT 127.0.0.1:{_echo.Port} HTTP/1.1\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection Established", await RawHttp.ReadHeadAsync(tunnel));

        await _harness.Proxy.CloseAsync(sandbox);

        Assert.True(await RawHttp.IsClosedAsync(tunnel));
        Assert.False(_harness.Proxy.IsOpen(sandbox));
        Assert.False(File.Exists(_harness.SocketPath(sandbox)));
        await Assert.ThrowsAsync<SocketException>(() => _harness.ConnectAsync(sandbox));
        await _harness.Proxy.CloseAsync(sandbox); // idempotent
    }

    [Fact]
    public async Task BlockedHosts_OfEachSandbox_AreSeparate()
    {
        var first = _harness.OpenSandbox();
        var second = _harness.OpenSandbox();

        await RefusedAsync(first, "evil.example:443");
        await RefusedAsync(second, "other.example:8443");
        await RefusedAsync(first, "second.example:443");

        Assert.Equal(["evil.example", "second.example"], _harness.Proxy.BlockedHosts(first));
        Assert.Equal(["other.example:8443"], _harness.Proxy.BlockedHosts(second));
        Assert.Empty(_harness.Proxy.BlockedHosts("sbx-never-opened"));
    }

    [Fact]
    public async Task BlockedHosts_AreCappedAt50()
    {
        var sandbox = _harness.OpenSandbox();

        for (var i = 0; i < 55; i++) await RefusedAsync(sandbox, $"host{i}.example:443");

        var blocked = _harness.Proxy.BlockedHosts(sandbox);
        Assert.Equal(50, blocked.Count);
        Assert.Equal("host0.example", blocked[0]);
        Assert.Equal("host49.example", blocked[^1]);
    }

    [Fact]
    public async Task Connections_OverTheLimit_Are503()
    {
        var sandbox = _harness.OpenSandbox();
        using var first = await OpenTunnelAsync(sandbox);
        using var second = await OpenTunnelAsync(sandbox);

        using var third = await _harness.ConnectAsync(sandbox);
        var response = await RawHttp.ReadResponseAsync(third);

        Assert.Equal(503, response.Status);
        Assert.Equal("too many connections from this sandbox\n", response.Body);
    }

    private async Task<Socket> OpenTunnelAsync(string sandbox)
    {
        var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, $"CONNECT 127.0.0.1:{_echo.Port} HTTP/1.1\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection Established", await RawHttp.ReadHeadAsync(client));
        return client;
    }

    private async Task RefusedAsync(string sandbox, string target)
    {
        using var client = await _harness.ConnectAsync(sandbox);
        await RawHttp.SendAsync(client, $"CONNECT {target} HTTP/1.1\r\n\r\n");
        Assert.Equal(403, (await RawHttp.ReadResponseAsync(client)).Status);
        // The proxy closes a refused connection; waiting for that keeps the next one from counting against the sandbox's limit.
        Assert.True(await RawHttp.IsClosedAsync(client));
    }

    private static async Task<string> StatAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u:%g:%a", path]) { RedirectStandardOutput = true })!;
        var output = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        return output.Trim();
    }
}
