using Orleans.Configuration;
using Orleans.Dashboard;
using SandboxAgents.Gateway.Api;
using SandboxAgents.Hosting;
using SandboxAgents.Runs;
using SandboxAgents.Silo.Storage.Redis;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Silo.Hosting;

/// <summary>The Orleans silo that hosts every issue's grain, with its storage, reminders and the run services.</summary>
public static class SiloExtensions
{
    public static IHostApplicationBuilder AddSandboxSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var cluster = ClusterSettings.From(configuration);
        // Orleans opens no gateway listener on port 0 (EndpointOptions.GatewayPort: "0 disables gateway functionality").
        var gatewayPort = ServiceRole.From(configuration).OpensOrleansGateway ? cluster.GatewayPort : 0;
        var tls = OrleansTlsCredentials.Load(configuration);
        var watchdog = configuration.GetValue<TimeSpan?>($"{RunOptions.SectionName}:{nameof(RunOptions.WatchdogPeriod)}") ?? new RunOptions().WatchdogPeriod;

        builder.Services.AddSandboxRuns();
        if (string.Equals(storage.Provider, StorageOptions.Redis, StringComparison.OrdinalIgnoreCase))
            RedisTranscriptStore.Register(builder.Services, configuration);
        builder.Services.AddOperatorAccess();
        builder.UseOrleans(silo =>
        {
            switch (storage.Provider.ToLowerInvariant())
            {
                case StorageOptions.Sqlite:
                    silo.UseLocalhostClustering(cluster.SiloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                    silo.AddSqliteGrainStorage(StorageNames.Runs, storage.DataFolder);
                    silo.UseSqliteReminderService(storage.DataFolder);
                    break;
                case StorageOptions.Memory:
                    silo.UseLocalhostClustering(cluster.SiloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                    silo.AddMemoryGrainStorage(StorageNames.Runs);
                    silo.UseInMemoryReminderService();
                    break;
                case StorageOptions.Redis:
                    silo.UseRedisCluster(cluster, cluster.AdvertisedAddress(configuration), gatewayPort);
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Storage:Provider must be '{StorageOptions.Sqlite}', '{StorageOptions.Memory}' or '{StorageOptions.Redis}', not '{storage.Provider}'.");
            }

            silo.UseOrleansTls(tls);
            silo.AddDashboard();
            if (watchdog < TimeSpan.FromMinutes(1))
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = watchdog);
        });
        return builder;
    }
}
