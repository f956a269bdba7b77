using System.Text;
using SandboxAgents.Sandboxes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

public sealed class DaytonaStreamDemultiplexerTests
{
    private const string Out = "\u0001\u0001\u0001";
    private const string Err = "\u0002\u0002\u0002";

    [Fact]
    public void Write_MarkerSplitAcrossFrames_IsNotOutput() =>
        Assert.Equal(["one", "two"], Lines([$"{Out}one\n\u0001", "\u0001", $"\u0001two\n"]));

    [Fact]
    public void Write_BytesBeforeTheFirstMarker_AreKept() =>
        Assert.Equal(["before", "after"], Lines([$"before\n{Out}after\n"]));

    [Fact]
    public void Write_NoMarkersAtAll_CombinedMode_KeepsEverything() =>
        Assert.Equal(["plain", "text"], Lines(["pla", "in\ntext"]));

    [Fact]
    public void Write_BytesThatOnlyStartLikeAMarker_AreOutput() =>
        Assert.Equal(["a\u0001\u0001b", "c\u0002"], Lines([$"{Out}a\u0001", "\u0001b\nc\u0002"]));

    [Fact]
    public void Write_StderrBetweenTheHalvesOfAStdoutLine_LeavesBothWhole() =>
        Assert.Equal(["err", "out whole"], Lines([$"{Out}out ", $"{Err}err\n{Out}whole\n"]));

    [Fact]
    public void Write_CharacterSplitAcrossFrames_IsDecodedWhole()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Out}héllo → wörld\n");
        var lines = new List<string>();
        var demultiplexer = new DaytonaStreamDemultiplexer(lines.Add);

        foreach (var b in bytes) demultiplexer.Write([b]);
        demultiplexer.Complete();

        Assert.Equal(["héllo → wörld"], lines);
    }

    private static List<string> Lines(string[] frames)
    {
        var lines = new List<string>();
        var demultiplexer = new DaytonaStreamDemultiplexer(lines.Add);
        foreach (var frame in frames) demultiplexer.Write(Encoding.UTF8.GetBytes(frame));
        demultiplexer.Complete();
        return lines;
    }
}
