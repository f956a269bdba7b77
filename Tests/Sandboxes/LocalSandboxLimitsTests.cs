using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// Each sandbox is bounded on its own (here by the host's cgroup v1 controllers, as root, as in CI): a fork bomb and a
/// memory hog are stopped and reported, the disk and <c>/tmp</c> fill up only so far, and the host carries on.
/// </summary>
public sealed class LocalSandboxLimitsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _root = OpenTempFolder.Create("local-limits-tests-");
    private LocalProviderHost _host = null!;

    private static SandboxLimits Limits => new() { Processes = 64, MemoryMegabytes = 128, Cpus = 0.5, DiskMegabytes = 24, TmpMegabytes = 4, DiskCheckInterval = TimeSpan.Zero };

    private LocalSandboxProvider Provider => _host.Provider;

    public Task InitializeAsync()
    {
        _host = LocalProviderHost.Create(new LocalSandboxOptions { Root = _root.FullName, Isolation = LocalSandboxOptions.Bubblewrap, Limits = Limits });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private Task<SandboxInfo> CreateAsync() =>
        Provider.CreateAsync(new SandboxSpec("limits-" + Guid.NewGuid().ToString("N")[..10], new Dictionary<string, string>(), new Dictionary<string, string>()), CancellationToken.None);

    private Task<CommandStatus> WaitForLimitAsync(SandboxInfo sandbox, string commandId) =>
        Eventually.MatchesAsync(() => Provider.GetCommandAsync(sandbox.Id, commandId, 5, CancellationToken.None), s => s.LimitExceeded is not null, "a limit to be reported", Timeout);

    [Fact]
    public void Start_AsRootWithCgroups_SaysWhichMechanismBoundsTheSandboxes()
    {
        Assert.True(Provider.IsIsolated);

        Assert.Contains(_host.Logs.Lines, l => l.Contains("Sandbox limits by cgroup v1", StringComparison.Ordinal) && l.Contains("64 processes, 128 MB memory, 0.5 CPUs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForkBomb_IsHeldAtTheProcessLimit_ReportedAndEndedByDelete()
    {
        var sandbox = await CreateAsync();
        var marker = ProcessTable.UniqueSleep();

        var command = await Provider.StartCommandAsync(sandbox.Id, $"bomb() {{ sleep {marker} & bomb | bomb & }}; bomb; sleep {marker}", CancellationToken.None);
        var status = await WaitForLimitAsync(sandbox, command);

        Assert.Contains("limit of 64 processes", status.LimitExceeded, StringComparison.Ordinal);
        Assert.InRange(ProcessTable.CountSleeping(marker), 1, 64);
        Assert.True(await Provider.DeleteAsync(sandbox.Id, CancellationToken.None));
        Assert.Equal(0, ProcessTable.CountSleeping(marker));
    }

    [Fact]
    public async Task MemoryHog_IsKilledByTheKernel_AndReported()
    {
        var sandbox = await CreateAsync();

        var result = await Provider.ExecuteAsync(sandbox.Id, "perl -e '$x = q(a) x (512 * 1024 * 1024); print length $x'", Timeout, CancellationToken.None);
        var command = await Provider.StartCommandAsync(sandbox.Id, "true", CancellationToken.None);
        var status = await WaitForLimitAsync(sandbox, command);

        Assert.Equal(137, result.ExitCode);
        Assert.Contains("ran out of memory", status.LimitExceeded, StringComparison.Ordinal);
        Assert.Contains("128 MB", status.LimitExceeded, StringComparison.Ordinal);
        await Provider.DeleteAsync(sandbox.Id, CancellationToken.None);
    }

    [Fact]
    public async Task FilesOverTheDiskLimit_AreStoppedOrReported()
    {
        var sandbox = await CreateAsync();

        var single = await Provider.ExecuteAsync(sandbox.Id, "head -c 30M /dev/zero > big.bin; echo $?", Timeout, CancellationToken.None);
        var singleSize = new FileInfo(Path.Combine(_root.FullName, sandbox.Id, "work", "big.bin")).Length;
        var command = await Provider.StartCommandAsync(sandbox.Id, "rm -f big.bin; head -c 15M /dev/zero > a.bin; head -c 15M /dev/zero > b.bin; sleep 30", CancellationToken.None);
        var status = await WaitForLimitAsync(sandbox, command);

        Assert.NotEqual("0", single.Output.Trim().Split('\n')[^1]);
        Assert.True(singleSize <= 24L * 1024 * 1024, $"{singleSize} bytes");
        Assert.Contains("over its limit of 24 MB", status.LimitExceeded, StringComparison.Ordinal);
        await Provider.DeleteAsync(sandbox.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Tmp_IsPrivateAndFullAtItsSize()
    {
        var sandbox = await CreateAsync();

        var result = await Provider.ExecuteAsync(sandbox.Id, "{ head -c 8M /dev/zero > /tmp/fill; } 2>&1; echo \"exit $?\"; du -k /tmp/fill | cut -f1", Timeout, CancellationToken.None);

        Assert.Contains("No space left on device", result.Output, StringComparison.Ordinal);
        Assert.True(int.Parse(result.Output.Trim().Split('\n')[^1], System.Globalization.CultureInfo.InvariantCulture) <= 4096, result.Output);
        await Provider.DeleteAsync(sandbox.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Cpu_IsBoundedByTheCgroupQuota()
    {
        var sandbox = await CreateAsync();

        var result = await Provider.ExecuteAsync(sandbox.Id, "cat /proc/self/cgroup", Timeout, CancellationToken.None);
        var quota = Directory.EnumerateDirectories("/sys/fs/cgroup/cpu", sandbox.Id, SearchOption.AllDirectories).Single();

        Assert.Equal("50000", (await File.ReadAllTextAsync(Path.Combine(quota, "cpu.cfs_quota_us"))).Trim());
        Assert.Equal("100000", (await File.ReadAllTextAsync(Path.Combine(quota, "cpu.cfs_period_us"))).Trim());
        Assert.Equal(0, result.ExitCode);
        Assert.True(await Provider.DeleteAsync(sandbox.Id, CancellationToken.None));
        Assert.False(Directory.Exists(quota));
    }
}
