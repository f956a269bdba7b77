using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A started command of the fake provider: its output, its exit code, and its follows, which get each line as it is
/// added and end when the exit code is set (or the test breaks them, as a dropped connection would). Counts its status
/// reads and follows, so tests can tell how the grain watched it.
/// </summary>
public sealed class FakeCommand(string text)
{
    private readonly Lock _gate = new();
    private readonly List<TaskCompletionSource> _follows = [];
    private int? _exitCode;
    private int _statusReads;
    private int _followsStarted;

    public string Text => text;

    public FakeOutput Output { get; } = new();

    /// <summary>Setting it ends the command: its follows return.</summary>
    public int? ExitCode
    {
        get { lock (_gate) return _exitCode; }
        set
        {
            List<TaskCompletionSource> ended;
            lock (_gate)
            {
                _exitCode = value;
                if (value is null) return;
                ended = [.. _follows];
            }

            foreach (var follow in ended) follow.TrySetResult();
        }
    }

    /// <summary><see cref="ISandboxProvider.GetCommandAsync"/> calls for this command.</summary>
    public int StatusReads => Volatile.Read(ref _statusReads);

    public int FollowsStarted => Volatile.Read(ref _followsStarted);

    /// <summary>Follows running now.</summary>
    public int Following { get { lock (_gate) return _follows.Count; } }

    public void StatusRead() => Interlocked.Increment(ref _statusReads);

    /// <summary>The follows running now throw, as a log stream whose connection dropped does.</summary>
    public void BreakFollows()
    {
        List<TaskCompletionSource> broken;
        lock (_gate) broken = [.. _follows];
        foreach (var follow in broken) follow.TrySetException(new SandboxException("injected: the log stream dropped"));
    }

    /// <summary>Hands on the lines printed so far, then each new one, until the command exits or the sandbox is gone.</summary>
    public async Task FollowAsync(Action<string> onLine, CancellationToken sandboxGone, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _followsStarted);
        var follow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var lines = Output.Subscribe(onLine);
        lock (_gate)
        {
            if (_exitCode is not null) return;
            _follows.Add(follow);
        }

        try
        {
            await using var gone = sandboxGone.Register(() => follow.TrySetResult());
            await follow.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate) _follows.Remove(follow);
        }
    }
}

/// <summary>A command's output: lines added are handed at once to the follows subscribed, in order, from the adding thread.</summary>
public sealed class FakeOutput
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<Action<string>> _subscribers = [];

    public int Count { get { lock (_gate) return _lines.Count; } }

    public void Add(string line) => AddRange([line]);

    public void AddRange(IEnumerable<string> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                _lines.Add(line);
                foreach (var subscriber in _subscribers) subscriber(CommandStatus.CapLine(line));
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines, as a provider's status tail holds them.</summary>
    public IReadOnlyList<string> Lines(int count)
    {
        lock (_gate) return [.. _lines.Skip(Math.Max(0, _lines.Count - count)).Select(CommandStatus.CapLine)];
    }

    /// <summary>Hands the lines so far to <paramref name="onLine"/>, then each new one until disposed.</summary>
    public IDisposable Subscribe(Action<string> onLine)
    {
        lock (_gate)
        {
            foreach (var line in _lines) onLine(CommandStatus.CapLine(line));
            _subscribers.Add(onLine);
        }

        return new Subscription(this, onLine);
    }

    private sealed class Subscription(FakeOutput output, Action<string> onLine) : IDisposable
    {
        public void Dispose()
        {
            lock (output._gate) output._subscribers.Remove(onLine);
        }
    }
}
