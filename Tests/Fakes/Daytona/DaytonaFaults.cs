namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// Faults queued by a test, each taken by the next request it matches, in the order they were queued.
/// </summary>
internal sealed class DaytonaFaults
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];
    private long _latencyTicks;

    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    public void Add(int count, int statusCode, TimeSpan retryAfter, Func<DaytonaRequest, bool> matches)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++) _faults.Add(new Fault(statusCode, retryAfter, matches));
        }
    }

    /// <summary>Takes the first queued fault that matches <paramref name="request"/>, if any.</summary>
    public Fault? Take(DaytonaRequest request)
    {
        lock (_gate)
        {
            var hit = _faults.FindIndex(f => f.Matches(request));
            if (hit < 0) return null;
            var fault = _faults[hit];
            _faults.RemoveAt(hit);
            return fault;
        }
    }

    /// <summary>Faults queued and not yet taken by a request.</summary>
    public int Pending
    {
        get
        {
            lock (_gate) return _faults.Count;
        }
    }

    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    public sealed record Fault(int StatusCode, TimeSpan RetryAfter, Func<DaytonaRequest, bool> Matches);
}
