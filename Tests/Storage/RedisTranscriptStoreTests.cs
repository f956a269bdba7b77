using SandboxAgents.Silo.Hosting;
using SandboxAgents.Silo.Storage.Redis;
using StackExchange.Redis;

namespace SandboxAgents.Tests.Storage;

/// <summary>Against the Redis on 127.0.0.1:6379 that the tests' CI starts.</summary>
public sealed class RedisTranscriptStoreTests
{
    [Fact]
    public async Task Saved_IsReadBack_AndExpiresAfterTheRetention()
    {
        var cluster = new ClusterSettings("tests", $"transcripts-{Guid.NewGuid():N}", 0, 0, "127.0.0.1:6379");
        await using var store = new RedisTranscriptStore(cluster, TimeSpan.FromDays(30));
        var issue = new IssueKey("octo", "widgets", 3);

        await store.SaveAsync(issue, "abc123", "{\"type\":\"result\"}\n"u8.ToArray(), CancellationToken.None);

        Assert.Equal("{\"type\":\"result\"}\n"u8.ToArray(), await store.ReadAsync(issue, "abc123", CancellationToken.None));
        Assert.Null(await store.ReadAsync(issue, "def456", CancellationToken.None));
        Assert.Null(await store.ReadAsync(issue, "../x", CancellationToken.None));
        await using var redis = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:6379");
        var key = store.KeyOf(issue, "abc123");
        var expiry = await redis.GetDatabase().KeyTimeToLiveAsync(key);
        Assert.InRange(expiry!.Value, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(30));
        await redis.GetDatabase().KeyDeleteAsync(key);
    }
}
