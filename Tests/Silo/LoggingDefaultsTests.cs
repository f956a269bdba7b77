using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SandboxAgents.Silo.Hosting;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Silo;

/// <summary>The service's log levels as its host builds them: an outgoing call through IHttpClientFactory and a resilience pipeline writes nothing.</summary>
public sealed class LoggingDefaultsTests : IDisposable
{
    private readonly DirectoryInfo _empty = Directory.CreateTempSubdirectory("logging-defaults-");

    public void Dispose() => _empty.Delete(recursive: true);

    /// <summary>Builds the Silo's logging (its appsettings.json from <paramref name="contentRoot"/>, then its defaults) and makes one call.</summary>
    private static async Task<IReadOnlyCollection<string>> LinesOfOneCallAsync(string contentRoot, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = "Production", Args = args });
        builder.AddLoggingDefaults();
        var collector = new LogCollector();
        builder.Logging.ClearProviders().AddProvider(collector);
        builder.Services.AddHttpClient("github").ConfigurePrimaryHttpMessageHandler(() => new Answering()).AddStandardResilienceHandler();
        await using var app = builder.Build();

        using var response = await app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("github").GetAsync(new Uri("https://api.github.test/zen"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return collector.Lines;
    }

    [Fact]
    public async Task OutgoingCall_WithTheSilosAppSettings_WritesNothing() =>
        Assert.Empty(await LinesOfOneCallAsync(AppContext.BaseDirectory));

    [Fact]
    public async Task OutgoingCall_WithoutAnyAppSettings_WritesNothing() =>
        Assert.Empty(await LinesOfOneCallAsync(_empty.FullName));

    [Fact]
    public async Task OutgoingCall_LevelLoweredInConfiguration_WritesAgain()
    {
        var lines = await LinesOfOneCallAsync(AppContext.BaseDirectory, "--Logging:LogLevel:System.Net.Http.HttpClient=Information");

        Assert.Contains(lines, l => l.StartsWith("Information System.Net.Http.HttpClient.github.", StringComparison.Ordinal));
    }

    private sealed class Answering : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("Keep it logically awesome.") });
    }
}
