using System.Collections.Concurrent;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Grains;

/// <summary>The test silo's ear on the grains' ticks: a test asks for the next tick of an issue, causes it, and awaits it.</summary>
public sealed class TickSignals : IRunTickObserver
{
    /// <summary>A tick that never comes is a failed test, not a hung one.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<IssueKey, ConcurrentQueue<TaskCompletionSource>> _waiting = new();

    /// <summary>Completes when the issue's grain ends its next tick; ask before doing what causes the tick.</summary>
    public Task NextAsync(IssueKey issue)
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.GetOrAdd(issue, _ => new()).Enqueue(next);
        return next.Task.WaitAsync(Bound);
    }

    public void TickCompleted(IssueKey issue)
    {
        if (!_waiting.TryGetValue(issue, out var waiting)) return;
        while (waiting.TryDequeue(out var next)) next.TrySetResult();
    }
}
