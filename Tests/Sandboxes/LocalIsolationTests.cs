using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class LocalIsolationTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("local-isolation-tests-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Create_IsolationRequiredButBubblewrapMissing_ThrowsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(LocalSandboxOptions.Bubblewrap, "/nonexistent/bwrap"));

        Assert.Contains("/nonexistent/bwrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_AutoWithBubblewrapMissing_RunsUnisolated() =>
        Assert.False(Create(LocalSandboxOptions.Auto, "/nonexistent/bwrap").IsIsolated);

    [Fact]
    public void Create_Auto_IsIsolatedExactlyWhenBubblewrapWorks() =>
        Assert.Equal(BubblewrapLocator.IsBubblewrapAvailable(), Create(LocalSandboxOptions.Auto, null).IsIsolated);

    [Fact]
    public void Create_UnknownIsolation_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Create("chroot", null));

    private LocalSandboxProvider Create(string isolation, string? bubblewrap) => new(
        Options.Create(new LocalSandboxOptions { Root = _root.FullName, Isolation = isolation, BubblewrapPath = bubblewrap }),
        TimeProvider.System,
        NullLogger<LocalSandboxProvider>.Instance);
}
