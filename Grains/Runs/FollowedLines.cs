using SandboxAgents.Runs.Progress;

namespace SandboxAgents.Runs;

/// <summary>
/// What a follow handed on since a tick last looked: the runner's last lines, read into activities as they come (once
/// each, not again at every tick), and the tool calls they started, so that the timeline misses no call between two
/// ticks. Filled from any thread (the provider's), taken in the grain's tick; both parts are bounded.
/// </summary>
public sealed class FollowedLines(int tailLines)
{
    private readonly Lock _gate = new();
    private readonly Queue<AgentActivity?> _tail = new();
    private readonly Queue<ToolCall> _calls = new();
    private bool _news;

    /// <summary>Takes one line; called by the provider from any thread.</summary>
    public void Add(string line)
    {
        // A line that says nothing (a tool's result) still counts as a line of the tail, as in a status's tail.
        var activity = StreamJsonActivity.Read(line);
        lock (_gate)
        {
            _tail.Enqueue(activity);
            if (_tail.Count > tailLines) _tail.Dequeue();
            foreach (var call in activity?.ToolCalls ?? [])
            {
                _calls.Enqueue(call);
                if (_calls.Count > AgentSteps.MaxSteps) _calls.Dequeue();
            }

            _news = true;
        }
    }

    /// <summary>The tail now and the calls that came since the last take; null when no line came.</summary>
    public FollowedNews? Take()
    {
        lock (_gate)
        {
            if (!_news) return null;
            _news = false;
            var news = new FollowedNews([.. _tail.OfType<AgentActivity>()], [.. _calls]);
            _calls.Clear();
            return news;
        }
    }
}

/// <summary>The readable lines of the tail, and the tool calls started since the last take; neither redacted yet.</summary>
public sealed record FollowedNews(IReadOnlyList<AgentActivity> Tail, IReadOnlyList<ToolCall> Calls);
