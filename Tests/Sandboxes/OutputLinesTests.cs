using System.Text;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Sandboxes;

public sealed class OutputLinesTests
{
    [Fact]
    public void Write_CompleteLines_HandedOverAtOnce_ThePartialOneOnlyAtTheEnd()
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        output.Write("one\r\ntw"u8);
        Assert.Equal(["one"], lines);
        output.Write("o\nthree"u8);
        Assert.Equal(["one", "two"], lines);
        output.Complete();

        Assert.Equal(["one", "two", "three"], lines);
    }

    [Fact]
    public void Write_HugeLine_IsCappedAndTheNextLineIsWhole()
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        for (var i = 0; i < 100; i++) output.Write(Encoding.ASCII.GetBytes(new string('x', 10_000)));
        output.Write("\nnext\n"u8);

        Assert.Equal(2, lines.Count);
        Assert.Equal(CommandStatus.MaxLineLength, lines[0].Length);
        Assert.Equal("next", lines[1]);
    }

    [Fact]
    public void Complete_CutCharacterAtTheEnd_BecomesAReplacementCharacter()
    {
        var lines = new List<string>();
        var output = new OutputLines(lines.Add);

        output.Write([(byte)'a', 0xE2, 0x86]);
        output.Complete();

        Assert.Equal(["a\uFFFD"], lines);
    }
}
