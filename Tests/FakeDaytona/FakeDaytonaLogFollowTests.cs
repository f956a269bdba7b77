using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.FakeDaytona;

/// <summary>The fake's WebSocket log follow against API.md §4.3: auth, marker-tagged binary frames as output comes, normal close on exit.</summary>
public sealed class FakeDaytonaLogFollowTests : IAsyncLifetime
{
    private FakeDaytonaServer _server = null!;
    private DaytonaHttp _http = null!;
    private string _id = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeDaytonaServer.StartAsync();
        _http = new DaytonaHttp(_server);
        _id = await _http.StartedSandboxAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Follow_WithoutTheKey_Is401()
    {
        var cmdId = await StartAsync("true");
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(FollowUrl(cmdId), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Follow_SendsMarkedChunksAsTheyAreAppended_ThenClosesNormallyOnExit()
    {
        var cmdId = await StartAsync("echo one; while [ ! -f go ]; do sleep 0.02; done; echo two >&2");
        using var socket = await ConnectAsync(cmdId);
        var received = new List<byte>();

        await ReceiveUntilAsync(socket, received, () => received.Count >= 7);
        Assert.Equal($"{CommandOutput.StdoutMarker}one\n", Encoding.UTF8.GetString([.. received]));
        Assert.Equal(WebSocketState.Open, socket.State);

        await File.WriteAllTextAsync(Path.Combine(_server.Sandbox(_id)!.WorkingDirectory, "go"), "");
        await ReceiveUntilAsync(socket, received, () => false);

        Assert.Equal($"{CommandOutput.StdoutMarker}one\n{CommandOutput.StderrMarker}two\n", Encoding.UTF8.GetString([.. received]));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Follow_Dropped_EndsWithoutACloseFrame()
    {
        var cmdId = await StartAsync("echo one; while [ ! -f go ]; do sleep 0.02; done");
        using var socket = await ConnectAsync(cmdId);
        var received = new List<byte>();
        await ReceiveUntilAsync(socket, received, () => received.Count >= 7);

        _server.DropFollows();

        await Assert.ThrowsAsync<WebSocketException>(() => ReceiveUntilAsync(socket, received, () => false));
    }

    private async Task<string> StartAsync(string command)
    {
        using var session = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session"), new JsonObject { ["sessionId"] = "s" });
        using var exec = await _http.SendAsync(HttpMethod.Post, _http.Toolbox(_id, "process/session/s/exec"), new JsonObject { ["command"] = command, ["runAsync"] = true });
        return (await DaytonaHttp.JsonAsync(exec))["cmdId"]!.GetValue<string>();
    }

    private Uri FollowUrl(string cmdId) =>
        new(_http.Toolbox(_id, $"process/session/s/command/{cmdId}/logs?follow=true").Replace("http://", "ws://", StringComparison.Ordinal));

    private async Task<ClientWebSocket> ConnectAsync(string cmdId)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {FakeDaytonaServer.ApiKey}");
        socket.Options.SetRequestHeader("X-Daytona-SDK-Version", "0.190.0");
        await socket.ConnectAsync(FollowUrl(cmdId), CancellationToken.None);
        return socket;
    }

    /// <summary>Receives binary frames into <paramref name="received"/> until the condition holds or the server closes.</summary>
    private static async Task ReceiveUntilAsync(ClientWebSocket socket, List<byte> received, Func<bool> done)
    {
        var buffer = new byte[4096];
        using var bound = new CancellationTokenSource(Eventually.DefaultBound);
        while (!done())
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), bound.Token);
            if (result.MessageType == WebSocketMessageType.Close) return;
            Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
            received.AddRange(buffer.AsSpan(0, result.Count));
        }
    }
}
