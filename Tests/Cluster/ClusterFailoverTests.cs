using SandboxAgents.Tests.Durability;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Cluster;

/// <summary>
/// The cluster profile on a real Redis (127.0.0.1:6379, started by .ci/run): two silo-only processes and one
/// gateway-only process, speaking mutual TLS (<c>Orleans:Tls</c>) with certificates from a throw-away CA. The silo
/// holding a running run's grain is killed; the run finishes on the survivor.
/// </summary>
public sealed class ClusterFailoverTests : IAsyncLifetime
{
    private ProcessWorld _world = null!;
    private string _caPath = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _authority = null!;

    public async Task InitializeAsync()
    {
        _world = await ProcessWorld.CreateAsync();
        _authority = TestCertificates.Authority("failover CA");
        _caPath = TestCertificates.WritePem(_authority, _world.Root.FullName, "ca").Certificate;
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Dictionary<string, string> Settings(string role, string cluster)
    {
        var settings = _world.Settings();
        settings["Service:Role"] = role;
        settings["Storage:Provider"] = "redis";
        settings["Redis:ConnectionString"] = "127.0.0.1:6379";
        settings["Orleans:ClusterId"] = cluster;
        settings["Orleans:ServiceId"] = cluster;
        var name = $"{role}-{Guid.NewGuid():N}";
        var (certificate, key) = TestCertificates.WritePem(TestCertificates.Member(_authority, name), _world.Root.FullName, name, key: true);
        settings["Orleans:Tls:CertificatePath"] = certificate;
        settings["Orleans:Tls:KeyPath"] = key!;
        settings["Orleans:Tls:CaPath"] = _caPath;
        return settings;
    }

    [Fact]
    public async Task SiloHoldingARunningRun_Killed_RunFinishesOnTheSurvivor()
    {
        var cluster = "failover-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = new ServiceProcess(Settings("silo", cluster));
        await using var second = new ServiceProcess(Settings("silo", cluster));
        await using var gateway = new ServiceProcess(Settings("gateway", cluster));
        await first.StartAsync();
        await second.StartAsync();
        await gateway.StartAsync();

        await ServiceHttp.SendLabeledAsync(gateway.Url, ProcessWorld.Secret, 1, "Survive a failover [slow-edit]");

        var running = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(gateway.Url, 1), t => t?["state"]?.GetValue<string>() == "Running", "running");
        var host = running!["host"]!.GetValue<string>();
        var (victim, survivor) = host.Contains($":{first.SiloPort}:", StringComparison.Ordinal) ? (first, second) : (second, first);
        Assert.Contains($":{victim.SiloPort}:", host, StringComparison.Ordinal);
        await victim.KillAsync();

        var done = await Eventually.MatchesAsync(() => ServiceHttp.TaskAsync(gateway.Url, 1),
            t => t?["state"]?.GetValue<string>() == "Succeeded" && t["history"]![0]!["sandboxDeleted"]!.GetValue<bool>(), "finished on the survivor", TimeSpan.FromSeconds(120));

        Assert.Contains($":{survivor.SiloPort}:", done!["host"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(_world.GitHub.PullRequestsFor("octo/widgets"));
        Assert.Contains("Fixed slowly.", _world.Git.Show(done["branch"]!.GetValue<string>(), "README.md"));
        Assert.Empty(Directory.GetDirectories(_world.SandboxRoot));
    }
}
