using System.Text;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// The contract for local sandboxes inside bubblewrap (installed here and in CI), and what the isolation must hide:
/// the host outside the sandbox's folder and the configured paths.
/// </summary>
public sealed class BubblewrappedLocalSandboxProviderContractTests : LocalSandboxContractTestsBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _outside = OpenTempFolder.Create("outside-sandbox-");

    protected override string Isolation => LocalSandboxOptions.Bubblewrap;

    protected override string InsideWork(SandboxInfo sandbox) => "/workspace";

    protected override IReadOnlyCollection<string> NetworkVariables => ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

    protected override IReadOnlyCollection<string> IsolationVariables => [CommandLauncher.OwnPidNamespaceVariable];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _outside.Delete(recursive: true);
    }

    [Fact]
    public void IsIsolated_WithIsolationBubblewrap_IsTrue() => Assert.True(Local.IsIsolated);

    [Fact]
    public async Task HostPathsOutsideTheSandbox_AreNeitherVisibleNorWritable()
    {
        var sandbox = await CreateAsync();
        var secret = Path.Combine(_outside.FullName, "secret.txt");
        await File.WriteAllTextAsync(secret, "host secret");

        var read = await Provider.ExecuteAsync(sandbox.Id, $"cat {secret}", Timeout, CancellationToken.None);
        var write = await Provider.ExecuteAsync(sandbox.Id, $"mkdir -p {_outside.FullName} && echo planted > {_outside.FullName}/planted.txt", Timeout, CancellationToken.None);
        var etc = await Provider.ExecuteAsync(sandbox.Id, "touch /etc/planted-by-sandbox", Timeout, CancellationToken.None);

        Assert.NotEqual(0, read.ExitCode);
        Assert.DoesNotContain("host secret", read.Output, StringComparison.Ordinal);
        Assert.Equal(0, write.ExitCode); // it lands in the sandbox's own /tmp, not on the host
        Assert.False(File.Exists(Path.Combine(_outside.FullName, "planted.txt")));
        Assert.NotEqual(0, etc.ExitCode);
        Assert.False(File.Exists("/etc/planted-by-sandbox"));
    }

    [Fact]
    public async Task RootHomeAndTheSandboxesMetadata_AreNotVisible()
    {
        var sandbox = await CreateAsync(environment: new Dictionary<string, string> { ["SECRET"] = "s3cret" });

        var root = await Provider.ExecuteAsync(sandbox.Id, "test -e /root", Timeout, CancellationToken.None);
        var meta = await Provider.ExecuteAsync(sandbox.Id, $"ls {MetaOf(sandbox)}; cat {MetaOf(sandbox)}/environment.json", Timeout, CancellationToken.None);
        var processes = await Provider.ExecuteAsync(sandbox.Id, "ls /proc | grep -c '^[0-9]'", Timeout, CancellationToken.None);

        Assert.Equal(1, root.ExitCode);
        Assert.NotEqual(0, meta.ExitCode);
        Assert.DoesNotContain("s3cret", meta.Output, StringComparison.Ordinal);
        // bubblewrap's init, the egress forwarder, the command's shell, ls and grep: nothing of the host.
        Assert.True(int.Parse(processes.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture) <= 5, $"PID namespace shows: {processes.Output}");
    }

    [Fact]
    public async Task ReadOnlyPaths_AreReadableButNotWritable()
    {
        var tools = Directory.CreateDirectory(Path.Combine(_outside.FullName, "tools")).FullName;
        await File.WriteAllTextAsync(Path.Combine(tools, "tool.sh"), "echo tool ran");
        var provider = CreateLocal(TimeProvider.System, o => o.ReadOnlyPaths.Add(tools));
        var sandbox = await provider.CreateAsync(new SandboxSpec(NewName(), new Dictionary<string, string>(), new Dictionary<string, string>()), CancellationToken.None);
        try
        {
            var ran = await provider.ExecuteAsync(sandbox.Id, $"bash {tools}/tool.sh", Timeout, CancellationToken.None);
            var wrote = await provider.ExecuteAsync(sandbox.Id, $"echo changed > {tools}/tool.sh", Timeout, CancellationToken.None);

            Assert.Equal("tool ran\n", ran.Output);
            Assert.NotEqual(0, wrote.ExitCode);
            Assert.Equal("echo tool ran", await File.ReadAllTextAsync(Path.Combine(tools, "tool.sh"), Encoding.UTF8));
        }
        finally
        {
            await provider.DeleteAsync(sandbox.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task NetworkNone_LeavesOnlyLoopback_AndNoWayOut()
    {
        var provider = CreateLocal(TimeProvider.System, network: SandboxAgents.Sandboxes.Egress.NetworkOptions.None);
        var sandbox = await provider.CreateAsync(new SandboxSpec(NewName(), new Dictionary<string, string>(), new Dictionary<string, string>()), CancellationToken.None);
        try
        {
            var result = await provider.ExecuteAsync(sandbox.Id,
                "echo \"interfaces: $(awk -F: 'NR > 2 {gsub(/ /, \"\", $1); printf \"%s \", $1}' /proc/net/dev)\"; " +
                "echo \"proxy variables: $(env | grep -ci proxy)\"; test -e /run/egress && echo has-proxy-socket; " +
                "(exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && echo connected",
                Timeout, CancellationToken.None);

            Assert.Equal("none", provider.NetworkMode);
            Assert.Equal("interfaces: lo \nproxy variables: 0\n", result.Output);
            Assert.DoesNotContain("connected", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            await provider.DeleteAsync(sandbox.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task NetworkHost_IsAnnouncedAtStartAsFitOnlyForTrustedAgents()
    {
        await using var host = LocalProviderHost.Create(new LocalSandboxOptions { Root = Root, Isolation = Isolation }, network: SandboxAgents.Sandboxes.Egress.NetworkOptions.Host);

        Assert.Equal("host", host.Provider.NetworkMode);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Sandbox:Network=host", StringComparison.Ordinal) && l.Contains("trust", StringComparison.Ordinal));
    }
}
