using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class LogTailTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"log-tail-{Guid.NewGuid():N}.log");

    public void Dispose() => File.Delete(_file);

    private async Task<IReadOnlyList<string>> TailAsync(string content, int lines)
    {
        await File.WriteAllTextAsync(_file, content);
        return await LogTail.ReadAsync(_file, lines, CancellationToken.None);
    }

    [Theory]
    [InlineData("", 5, new string[0])]
    [InlineData("one\ntwo\nthree\n", 2, new[] { "two", "three" })]
    [InlineData("one\ntwo\nthree", 2, new[] { "two", "three" })]
    [InlineData("one\n\nthree\r\n", 5, new[] { "one", "", "three" })]
    [InlineData("only", 3, new[] { "only" })]
    public async Task LastLines_AsWritten(string content, int lines, string[] expected) =>
        Assert.Equal(expected, await TailAsync(content, lines));

    [Fact]
    public async Task HugeLines_OnlyTheirStartIsKept()
    {
        var huge = "{\"type\":\"assistant\"" + new string('x', 2_000_000);
        var tail = await TailAsync($"first\n{huge}\n{huge}\nlast\n", 3);

        Assert.Equal(3, tail.Count);
        Assert.All(tail.Take(2), line => Assert.Equal(huge[..CommandStatus.MaxLineLength], line));
        Assert.Equal("last", tail[2]);
    }

    [Fact]
    public async Task LineLongerThanTheScan_IsLeftOut()
    {
        var tail = await TailAsync("before\n" + new string('x', 17 * 1024 * 1024) + "\nafter", 3);

        Assert.Equal(["after"], tail);
    }
}
