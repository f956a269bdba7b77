using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Fakes.Daytona;

namespace SandboxAgents.Tests.FakeDaytona;

/// <summary>The latency switch waits on the server's clock, so a test drives it instead of waiting.</summary>
public sealed class FakeDaytonaLatencyTests
{
    [Fact]
    public async Task Latency_HoldsEachRequestUntilTheClockMovesOn()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await using var server = await FakeDaytonaServer.StartAsync(time);
        using var http = new DaytonaHttp(server);
        server.Latency = TimeSpan.FromSeconds(30);

        var pending = http.SendAsync(HttpMethod.Get, http.Api("sandbox"));
        await Eventually.TrueAsync(() => server.Requests.Count == 1, "the request to arrive");
        Assert.False(pending.IsCompleted);
        await Eventually.TrueAsync(() => { time.Advance(TimeSpan.FromSeconds(30)); return pending.IsCompleted; }, "the delay to end");

        using var response = await pending;
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Timestamps_ComeFromTheServersClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        await using var server = await FakeDaytonaServer.StartAsync(time);
        using var http = new DaytonaHttp(server);

        var created = await http.CreateAsync();

        Assert.Equal("2026-11-28T09:00:00.000Z", created["createdAt"]!.GetValue<string>());
        Assert.Equal("2026-11-28T09:00:00.000Z", created["lastActivityAt"]!.GetValue<string>());
    }
}
