using System.Text;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// A command's output as the daemon keeps it: one log where every line carries a 3-byte marker naming its stream
/// (stdout <c>\x01\x01\x01</c>, stderr <c>\x02\x02\x02</c>; API.md §4.3), in arrival order, plus each stream alone.
/// </summary>
internal sealed class CommandOutput
{
    public const string StdoutMarker = "\u0001\u0001\u0001";
    public const string StderrMarker = "\u0002\u0002\u0002";

    private readonly Lock _gate = new();
    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The log with markers, as the daemon stores it.</summary>
    public string Raw { get { lock (_gate) return _raw.ToString(); } }

    /// <summary>The log without markers: both streams interleaved.</summary>
    public string Stripped => Raw.Replace(StdoutMarker, "", StringComparison.Ordinal).Replace(StderrMarker, "", StringComparison.Ordinal);

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }

    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>Completes at the next <see cref="Append"/> (a follower waits on it for more output).</summary>
    public Task Appended
    {
        get
        {
#pragma warning disable VSTHRD003 // completed by Append on no synchronisation context; a test server has none either.
            lock (_gate) return _appended.Task;
#pragma warning restore VSTHRD003
        }
    }

    public void Append(bool isStderr, string line)
    {
        TaskCompletionSource appended;
        lock (_gate)
        {
            _raw.Append(isStderr ? StderrMarker : StdoutMarker).Append(line);
            (isStderr ? _stderr : _stdout).Append(line);
            appended = _appended;
            _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        appended.SetResult();
    }

    /// <summary>Copies one stream into the log line by line; a last line without a newline is kept as it is.</summary>
    public async Task PumpAsync(Stream stream, bool isStderr)
    {
        var pending = new List<byte>();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                pending.Add(buffer[i]);
                if (buffer[i] != (byte)'\n') continue;
                Append(isStderr, Encoding.UTF8.GetString([.. pending]));
                pending.Clear();
            }
        }

        if (pending.Count > 0) Append(isStderr, Encoding.UTF8.GetString([.. pending]));
    }
}
