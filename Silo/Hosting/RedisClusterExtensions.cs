using System.Net;
using Orleans.Configuration;
using SandboxAgents.Silo.Storage.Redis;

namespace SandboxAgents.Silo.Hosting;

/// <summary>The cluster profile: membership, grain state and reminders in Redis, so silos can come and go.</summary>
public static class RedisClusterExtensions
{
    public static ISiloBuilder UseRedisCluster(this ISiloBuilder silo, ClusterSettings cluster, IPAddress advertised, int gatewayPort)
    {
        var redis = cluster.Redis();
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
        // Listening on the advertised address only; with listenOnAnyHostAddress a gateway port of 0 would bind a random port.
        silo.ConfigureEndpoints(advertised, cluster.SiloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        silo.AddRedisGrainStorage(StorageNames.Runs, o => o.ConfigurationOptions = redis.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        return silo;
    }

    /// <summary>The gateway role: an Orleans client that finds the silos through Redis.</summary>
    public static IHostApplicationBuilder AddClusterClient(this IHostApplicationBuilder builder)
    {
        var cluster = ClusterSettings.From(builder.Configuration);
        var redis = cluster.Redis();
        var tls = OrleansTlsCredentials.Load(builder.Configuration);
        RedisTranscriptStore.Register(builder.Services, builder.Configuration);
        builder.UseOrleansClient(client =>
        {
            client.UseOrleansTls(tls);
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            client.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        });
        return builder;
    }
}
