using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace SandboxAgents.Silo.Storage.Sqlite;

/// <summary>
/// Registers the SQLite grain storage and reminder table; a repeated call changes nothing. Every provider and the
/// reminder table over one folder share its one <see cref="SqliteDatabase"/> (<see cref="SqliteDatabases"/>).
/// </summary>
public static class SqliteSiloBuilderExtensions
{
    /// <summary>Adds grain storage <paramref name="name"/> in <c>{path}/orleans.db</c>.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string path)
    {
        var services = builder.Services;
        if (services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name)))
            return builder;

        services.TryAddSingleton<SqliteDatabases>();
        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(o => o.Path = path);
        services.TryAddEnumerable(ServiceDescriptor.Transient<IPostConfigureOptions<SqliteGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        services.AddGrainStorage(name, (provider, key) =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(key);
            var database = provider.GetRequiredService<SqliteDatabases>().Get(options.Path);
            return new SqliteGrainStorage(key, database, options.GrainStorageSerializer);
        });
        return builder;
    }

    /// <summary>Keeps reminders in <c>{path}/orleans.db</c>.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, string path)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SqliteReminderTable)))
            return builder;

        builder.AddReminders();
        services.TryAddSingleton<SqliteDatabases>();
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<SqliteReminderTable>(
            provider, provider.GetRequiredService<SqliteDatabases>().Get(path)));
        services.AddSingleton<IReminderTable>(provider => provider.GetRequiredService<SqliteReminderTable>());
        return builder;
    }
}
