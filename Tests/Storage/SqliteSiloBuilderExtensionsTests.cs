using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Storage;
using SandboxAgents.Silo.Storage.Sqlite;

namespace SandboxAgents.Tests.Storage;

/// <summary>Registering the SQLite providers twice registers them once.</summary>
public sealed class SqliteSiloBuilderExtensionsTests
{
    [Fact]
    public void AddSqliteGrainStorageAndReminders_CalledTwice_RegistersOnce()
    {
        var builder = Host.CreateApplicationBuilder();
        var path = Path.Combine(Path.GetTempPath(), "unused-" + Guid.NewGuid().ToString("N"));

        builder.UseOrleans(silo =>
        {
            Assert.Same(silo, silo.AddSqliteGrainStorage("state", path).AddSqliteGrainStorage("state", path));
            Assert.Same(silo, silo.UseSqliteReminderService(path).UseSqliteReminderService(path));
        });

        var services = builder.Services;
        Assert.Single(services, d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, "state"));
        Assert.Single(services, d => d.ServiceType == typeof(IReminderTable));
        Assert.False(Directory.Exists(path));
    }
}
