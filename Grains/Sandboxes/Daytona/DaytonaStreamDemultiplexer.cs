namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// Splits a followed log (WebSocket frames of raw bytes, API.md §4.3) back into stdout and stderr lines. A marker may
/// straddle frames, so marker bytes at the end of a frame wait for the next; bytes that only look like the start of a
/// marker are output. Output before the first marker (a daemon answering in combined mode has none) counts as stdout.
/// Each stream has its own line assembly, so a stderr chunk between the halves of a stdout line leaves both whole.
/// </summary>
internal sealed class DaytonaStreamDemultiplexer(Action<string> onLine)
{
    private const byte StdoutByte = 0x01;
    private const byte StderrByte = 0x02;
    private const int MarkerLength = 3;

    private readonly OutputLines _stdout = new(onLine);
    private readonly OutputLines _stderr = new(onLine);
    private readonly List<byte> _content = [];
    private OutputLines? _current;
    private byte _markerByte;
    private int _markerSeen;

    public void Write(ReadOnlySpan<byte> frame)
    {
        foreach (var b in frame)
        {
            if (b is StdoutByte or StderrByte)
            {
                if (_markerSeen > 0 && b != _markerByte) SpillMarker();
                _markerByte = b;
                if (++_markerSeen < MarkerLength) continue;
                _markerSeen = 0;
                Flush();
                _current = b == StdoutByte ? _stdout : _stderr;
                continue;
            }

            if (_markerSeen > 0) SpillMarker();
            _content.Add(b);
        }

        Flush();
    }

    /// <summary>The log has ended: what looked like the start of a marker is output, and last lines are handed over.</summary>
    public void Complete()
    {
        SpillMarker();
        Flush();
        _stdout.Complete();
        _stderr.Complete();
    }

    private void SpillMarker()
    {
        for (; _markerSeen > 0; _markerSeen--) _content.Add(_markerByte);
    }

    private void Flush()
    {
        if (_content.Count == 0) return;
        (_current ?? _stdout).Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_content));
        _content.Clear();
    }
}
