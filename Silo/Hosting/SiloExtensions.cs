using Orleans.Dashboard;
using Orleans.Configuration;
using SandboxAgents.Hosting;
using SandboxAgents.Runs;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Silo.Hosting;

/// <summary>The Orleans silo that hosts every issue's grain, with its storage, reminders and the run services.</summary>
public static class SiloExtensions
{
    public static IHostApplicationBuilder AddSandboxSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var watchdog = configuration.GetValue<TimeSpan?>($"{RunOptions.SectionName}:{nameof(RunOptions.WatchdogPeriod)}") ?? new RunOptions().WatchdogPeriod;

        builder.Services.AddSandboxRuns();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: configuration.GetValue("Orleans:SiloPort", 11111),
                gatewayPort: configuration.GetValue("Orleans:GatewayPort", 30000),
                serviceId: configuration.GetValue("Orleans:ServiceId", "sandbox-agents")!,
                clusterId: configuration.GetValue("Orleans:ClusterId", "sandbox-agents")!);

            switch (storage.Provider.ToLowerInvariant())
            {
                case StorageOptions.Sqlite:
                    silo.AddSqliteGrainStorage(StorageNames.Runs, storage.Path);
                    silo.UseSqliteReminderService(storage.Path);
                    break;
                case StorageOptions.Memory:
                    silo.AddMemoryGrainStorage(StorageNames.Runs);
                    silo.UseInMemoryReminderService();
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Storage:Provider '{storage.Provider}' is not available in this version; use '{StorageOptions.Sqlite}' or '{StorageOptions.Memory}'.");
            }

            silo.AddDashboard();
            if (watchdog < TimeSpan.FromMinutes(1))
                silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = watchdog);
        });
        return builder;
    }
}
