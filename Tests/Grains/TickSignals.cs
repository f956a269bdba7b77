using System.Collections.Concurrent;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// The test silo's ear on the grains' ticks: a test asks for the next tick (or the next few) of an issue, causes
/// them, and awaits them. Only the poll timer, a submitted command and the watchdog reminder cause ticks, so a test
/// that knows which of them it woke knows how many ticks to await.
/// </summary>
public sealed class TickSignals : IRunTickObserver
{
    /// <summary>A tick that never comes is a failed test, not a hung one.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly ConcurrentDictionary<IssueKey, List<Awaited>> _waiting = new();

    /// <summary>Completes when the issue's grain has ended <paramref name="ticks"/> more ticks; ask before doing what causes them.</summary>
    public Task NextAsync(IssueKey issue, int ticks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ticks, 1);
        var awaited = new Awaited(ticks);
        var waiting = _waiting.GetOrAdd(issue, _ => []);
        lock (waiting) waiting.Add(awaited);
        return WithinBoundAsync(issue, ticks, awaited);
    }

    private static async Task WithinBoundAsync(IssueKey issue, int ticks, Awaited awaited)
    {
        try
        {
            await awaited.Done.Task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{issue}: {ticks - awaited.Left} of the {ticks} ticks awaited came within {Bound}.");
        }
    }

    public void TickCompleted(IssueKey issue)
    {
        if (!_waiting.TryGetValue(issue, out var waiting)) return;
        lock (waiting)
        {
            foreach (var awaited in waiting) awaited.Left--;
            foreach (var done in waiting.Where(a => a.Left == 0)) done.Done.TrySetResult();
            waiting.RemoveAll(a => a.Left == 0);
        }
    }

    private sealed class Awaited(int ticks)
    {
        /// <summary>Ticks still to come; changed under the lock of the issue's list.</summary>
        public int Left { get; set; } = ticks;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
