using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

/// <summary>The Daytona adapter following a command over the toolbox's WebSocket, against the fake built from API.md.</summary>
public sealed class DaytonaFollowTests : IAsyncLifetime
{
    private const string WaitForGo = "while [ ! -e go ]; do sleep 0.02; done";
    private FakeDaytonaServer _daytona = null!;
    private ServiceProvider _services = null!;
    private ISandboxProvider _provider = null!;
    private SandboxInfo _sandbox = null!;

    public async Task InitializeAsync()
    {
        _daytona = await FakeDaytonaServer.StartAsync();
        await UseProviderAsync([]);
        _sandbox = await _provider.CreateAsync(new SandboxSpec("follow-" + Guid.NewGuid().ToString("N")[..12], new Dictionary<string, string>(), new Dictionary<string, string>()), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _provider.DeleteAsync(_sandbox.Id, CancellationToken.None);
        await _services.DisposeAsync();
        await _daytona.DisposeAsync();
    }

    [Fact]
    public async Task Follow_WhileTheCommandRuns_MakesNoRequestButTheOneWebSocket()
    {
        var commandId = await _provider.StartCommandAsync(_sandbox.Id, $"echo started; {WaitForGo}; echo done", CancellationToken.None);
        var before = _daytona.Requests.Count;
        var follow = FollowAsync(commandId, "started", out var lines, out var seen);

        await seen.WaitAsync(Eventually.DefaultBound);
        await File.WriteAllTextAsync(Path.Combine(_daytona.Sandbox(_sandbox.Id)!.WorkingDirectory, "go"), ""); // not through the API
        await follow.WaitAsync(Eventually.DefaultBound);

        var only = Assert.Single(_daytona.Requests.Skip(before));
        Assert.Equal("GET", only.Method);
        Assert.EndsWith($"/command/{commandId.Split('/')[1]}/logs?follow=true", only.PathAndQuery);
        Assert.Equal($"Bearer {FakeDaytonaServer.ApiKey}", only.Header("Authorization"));
        Assert.Equal("0.190.0", only.Header("X-Daytona-SDK-Version"));
        Assert.Equal(["started", "done"], lines);
        Assert.Equal(0, _daytona.OpenFollows);
    }

    [Fact]
    public async Task Follow_OneByteFrames_SplittingMarkersAndCharacters_LinesComeWhole()
    {
        _daytona.FollowFrameBytes = 1;
        var commandId = await _provider.StartCommandAsync(_sandbox.Id, "echo 'héllo → wörld'; echo 'to err' >&2; printf 'no newline'", CancellationToken.None);

        var follow = FollowAsync(commandId, "", out var lines, out _);
        await follow.WaitAsync(Eventually.DefaultBound);

        Assert.Equal(["héllo → wörld", "no newline", "to err"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Follow_ConnectionDropped_ThrowsSandboxException()
    {
        var commandId = await _provider.StartCommandAsync(_sandbox.Id, $"echo started; {WaitForGo}", CancellationToken.None);
        var follow = FollowAsync(commandId, "started", out _, out var seen);
        await seen.WaitAsync(Eventually.DefaultBound);

        _daytona.DropFollows();

        await Assert.ThrowsAsync<SandboxException>(() => follow.WaitAsync(Eventually.DefaultBound));
    }

    [Fact]
    public async Task Follow_UpgradeRefused_ThrowsSandboxException()
    {
        var commandId = await _provider.StartCommandAsync(_sandbox.Id, "echo started", CancellationToken.None);
        _daytona.InjectServerError(when: r => r.PathAndQuery.EndsWith("follow=true", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<SandboxException>(() => _provider.FollowCommandAsync(_sandbox.Id, commandId, _ => { }, CancellationToken.None));

        Assert.Contains("500", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_UnknownCommand_ReturnsAtOnce()
    {
        await _provider.FollowCommandAsync(_sandbox.Id, "no-session/no-command", _ => Assert.Fail("no line expected"), CancellationToken.None);
        await _provider.FollowCommandAsync(_sandbox.Id, "not-a-command-id", _ => Assert.Fail("no line expected"), CancellationToken.None);
    }

    [Fact]
    public async Task Follow_PastTheRenewInterval_ReconnectsAsActivity_AndHandsNoLineTwice()
    {
        await UseProviderAsync(new() { ["Daytona:FollowRenewInterval"] = "00:00:00.200" });
        var commandId = await _provider.StartCommandAsync(_sandbox.Id, $"echo one; echo two; {WaitForGo}; echo three", CancellationToken.None);
        var follow = FollowAsync(commandId, "two", out var lines, out var seen);
        await seen.WaitAsync(Eventually.DefaultBound);
        var firstActivity = _daytona.Sandbox(_sandbox.Id)!.LastActivityAt;

        await Eventually.TrueAsync(() => _daytona.Requests.Count(r => r.PathAndQuery.EndsWith("follow=true", StringComparison.Ordinal)) >= 3, "the follow to reconnect twice");
        await File.WriteAllTextAsync(Path.Combine(_daytona.Sandbox(_sandbox.Id)!.WorkingDirectory, "go"), "");
        await follow.WaitAsync(Eventually.DefaultBound);

        Assert.Equal(["one", "two", "three"], lines);
        Assert.True(_daytona.Sandbox(_sandbox.Id)!.LastActivityAt > firstActivity, "a reconnection counts as activity");
    }

    private async Task UseProviderAsync(Dictionary<string, string?> settings)
    {
        if (_services is not null) await _services.DisposeAsync();
        _services = DaytonaProviders.Build(_daytona, settings);
        _provider = _services.GetRequiredService<ISandboxProvider>();
    }

    private Task FollowAsync(string commandId, string awaited, out ConcurrentQueue<string> lines, out Task seen)
    {
        var received = new ConcurrentQueue<string>();
        var sawIt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lines = received;
        seen = sawIt.Task;
        return _provider.FollowCommandAsync(_sandbox.Id, commandId, line =>
        {
            received.Enqueue(line);
            if (line == awaited) sawIt.TrySetResult();
        }, CancellationToken.None);
    }
}
