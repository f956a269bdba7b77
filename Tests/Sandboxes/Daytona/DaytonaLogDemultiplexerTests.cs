using SandboxAgents.Sandboxes.Daytona;

namespace SandboxAgents.Tests.Sandboxes.Daytona;

public sealed class DaytonaLogDemultiplexerTests
{
    [Fact]
    public void Combine_RawOutputWithMarkers_KeepsOrderWithoutMarkers() =>
        Assert.Equal("out 1\nerr 1\nout 2\n",
            DaytonaLogDemultiplexer.Combine(new DaytonaLogs("\u0001\u0001\u0001out 1\n\u0002\u0002\u0002err 1\n\u0001\u0001\u0001out 2\n", "out 1\nout 2\n", "err 1\n")));

    [Fact]
    public void Combine_OnlySplitStreams_JoinsThem() =>
        Assert.Equal("a\nb\n", DaytonaLogDemultiplexer.Combine(new DaytonaLogs(null, "a\n", "b\n")));

    [Fact]
    public void Strip_PlainText_Unchanged() => Assert.Equal("plain\n", DaytonaLogDemultiplexer.Strip("plain\n"));
}
