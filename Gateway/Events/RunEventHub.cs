using System.Threading.Channels;

namespace SandboxAgents.Gateway.Events;

/// <summary>
/// Fans run changes out to every connected event stream. Each listener gets its own bounded channel; a listener too
/// slow to keep up loses the oldest changes rather than holding up the others (its page re-reads on reconnect).
/// The registry's pushes are one-way calls, which Orleans may hand over out of order: a change older than one already
/// passed on for the same run is dropped, so a stream never shows a run going back.
/// </summary>
public sealed class RunEventHub : IRunRegistryObserver
{
    /// <summary>Issues whose latest change is remembered; past this the memory starts afresh.</summary>
    private const int RememberedIssues = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Channel<RunEntry>> _listeners = [];
    private readonly Dictionary<string, RunEntry> _latest = new(StringComparer.Ordinal);

    public void OnRunChanged(RunEntry entry)
    {
        lock (_gate)
        {
            if (_latest.TryGetValue(entry.Key, out var held) && held.RunId == entry.RunId && held.UpdatedAt > entry.UpdatedAt) return;
            if (_latest.Count >= RememberedIssues) _latest.Clear();
            _latest[entry.Key] = entry;
            foreach (var listener in _listeners) listener.Writer.TryWrite(entry);
        }
    }

    public ChannelReader<RunEntry> Listen(CancellationToken until)
    {
        var channel = Channel.CreateBounded<RunEntry>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _listeners.Add(channel);
        until.Register(() =>
        {
            lock (_gate) _listeners.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }
}
