using Microsoft.Extensions.Configuration.Memory;

namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// Log levels the service starts from, beneath every other configuration source, so that appsettings and environment
/// variables still override them. IHttpClientFactory writes several Information lines per outgoing call
/// (<c>System.Net.Http.HttpClient.*</c>), and Polly's resilience pipelines one per attempt: at Warning they write only
/// when something goes wrong, and a busy service's log stays its own.
/// </summary>
public static class LoggingDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    public static IHostApplicationBuilder AddLoggingDefaults(this IHostApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        if (sources.OfType<MemoryConfigurationSource>().Any(s => ReferenceEquals(s.InitialData, Levels))) return builder;
        sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        return builder;
    }
}
