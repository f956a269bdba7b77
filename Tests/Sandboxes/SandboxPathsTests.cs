using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class SandboxPathsTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("sandbox-paths-");

    public void Dispose() => _work.Delete(recursive: true);

    private string Work => _work.FullName;

    [Theory]
    [InlineData("file.txt")]
    [InlineData("a/b/c.txt")]
    [InlineData("./a/../b.txt")]
    public void Resolve_PathInside_IsUnderTheWorkDirectory(string path) =>
        Assert.Equal(Path.GetFullPath(Path.Combine(Work, path)), SandboxPaths.Resolve(Work, path));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc/passwd")]
    public void Resolve_PathNotStrictlyInside_IsRefused(string path) =>
        Assert.Throws<ArgumentException>(() => SandboxPaths.Resolve(Work, path));

    [Fact]
    public void Resolve_LinkInsideToInside_IsFollowed()
    {
        Directory.CreateDirectory(Path.Combine(Work, "real"));
        Directory.CreateSymbolicLink(Path.Combine(Work, "alias"), "real");

        Assert.Equal(Path.Combine(Work, "real", "f.txt"), SandboxPaths.Resolve(Work, "alias/f.txt"));
    }

    [Fact]
    public void Resolve_ChainOfLinksEndingOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(Work, "first"), "second");
        Directory.CreateSymbolicLink(Path.Combine(Work, "second"), "/etc");

        Assert.Throws<ArgumentException>(() => SandboxPaths.Resolve(Work, "first/passwd"));
    }

    [Fact]
    public void Resolve_DotDotAfterALinkOutside_IsResolvedLikeTheKernelAndRefused()
    {
        // Read as text, "d/../bin" stays inside; the kernel follows d to /usr/share first and lands in /usr/bin.
        Directory.CreateSymbolicLink(Path.Combine(Work, "d"), "/usr/share");
        Directory.CreateSymbolicLink(Path.Combine(Work, "x"), "d/../bin");

        Assert.Throws<ArgumentException>(() => SandboxPaths.Resolve(Work, "x/ls"));
    }

    [Fact]
    public void Resolve_LinkLoop_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(Work, "loop"), "loop");

        Assert.Throws<ArgumentException>(() => SandboxPaths.Resolve(Work, "loop"));
    }
}
