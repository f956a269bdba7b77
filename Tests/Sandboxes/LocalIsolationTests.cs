using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class LocalIsolationTests : IDisposable
{
    private readonly DirectoryInfo _root = SandboxAgents.Tests.Fakes.OpenTempFolder.Create("local-isolation-tests-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Create_IsolationRequiredButBubblewrapMissing_ThrowsAClearError()
    {
        await using var host = Host(LocalSandboxOptions.Bubblewrap, "/nonexistent/bwrap");

        var error = Assert.Throws<InvalidOperationException>(() => host.Provider);

        Assert.Contains("/nonexistent/bwrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AutoWithBubblewrapMissing_RefusesAndNamesThePackageAndTheWayOut()
    {
        await using var host = Host(LocalSandboxOptions.Auto, "/nonexistent/bwrap");

        var error = Assert.Throws<InvalidOperationException>(() => host.Provider);

        Assert.Contains("install the 'bubblewrap' package", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sandbox:Local:Isolation=none", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AutoWithBubblewrapInstalled_IsIsolated()
    {
        await using var host = Host(LocalSandboxOptions.Auto, null);

        Assert.True(host.Provider.IsIsolated);
    }

    [Fact]
    public async Task Create_None_RunsUnisolatedAndSaysSoAtStart()
    {
        await using var host = Host(LocalSandboxOptions.None, null);

        Assert.False(host.Provider.IsIsolated);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("NOT isolated", StringComparison.Ordinal) && l.Contains("trust", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_UnknownIsolation_Throws()
    {
        await using var host = Host("chroot", null);

        Assert.Throws<InvalidOperationException>(() => host.Provider);
    }

    private LocalProviderHost Host(string isolation, string? bubblewrap) =>
        LocalProviderHost.Create(new LocalSandboxOptions { Root = _root.FullName, Isolation = isolation, BubblewrapPath = bubblewrap });
}
