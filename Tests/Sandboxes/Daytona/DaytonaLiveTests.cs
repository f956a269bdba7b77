using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Hosting;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

/// <summary>
/// The adapter against the real Daytona (<c>DAYTONA_API_KEY</c>, optionally <c>DAYTONA_API_URL</c> and
/// <c>DAYTONA_TARGET</c>): create, run, upload, download, delete, and confirm the sandbox is gone.
/// </summary>
public sealed class DaytonaLiveTests
{
    [DaytonaLiveFact]
    public async Task RealDaytona_SandboxLifecycle_LeavesNothingBehind()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Provider"] = "daytona",
            ["Daytona:ApiKey"] = Environment.GetEnvironmentVariable(DaytonaLiveFactAttribute.KeyVariable),
            ["Daytona:Target"] = Environment.GetEnvironmentVariable("DAYTONA_TARGET"),
            ["Daytona:AutoStopMinutes"] = "5",
        };
        if (Environment.GetEnvironmentVariable("DAYTONA_API_URL") is { Length: > 0 } url) settings["Daytona:ApiUrl"] = url;
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddSandboxRuns();
        await using var provider = services.BuildServiceProvider();
        var sandboxes = Assert.IsType<DaytonaSandboxProvider>(provider.GetRequiredService<ISandboxProvider>());
        var run = Guid.NewGuid().ToString("N")[..12];
        var labels = new Dictionary<string, string> { [SandboxLabels.Service] = SandboxLabels.ServiceValue, [SandboxLabels.Run] = run };
        var ct = CancellationToken.None;

        var sandbox = await sandboxes.CreateAsync(new SandboxSpec($"sa-live-check-{run}", labels, new Dictionary<string, string> { ["GREETING"] = "hello" }), ct);
        try
        {
            var exec = await sandboxes.ExecuteAsync(sandbox.Id, "echo $GREETING from daytona", TimeSpan.FromSeconds(30), ct);
            Assert.Equal(0, exec.ExitCode);
            Assert.Contains("hello from daytona", exec.Output);

            await sandboxes.UploadAsync(sandbox.Id, "live/check.txt", Encoding.UTF8.GetBytes("round trip"), ct);
            Assert.Equal("round trip", Encoding.UTF8.GetString((await sandboxes.DownloadAsync(sandbox.Id, "live/check.txt", ct))!));
            Assert.Single(await sandboxes.ListAsync(labels, ct));
        }
        finally
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!await sandboxes.DeleteAsync(sandbox.Id, ct) && DateTime.UtcNow < deadline) await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        Assert.Empty(await sandboxes.ListAsync(labels, ct));
    }
}
