using System.Threading.Channels;

namespace SandboxAgents.Gateway.Events;

/// <summary>
/// Fans run changes out to every connected event stream. Each listener gets its own bounded channel; a listener too
/// slow to keep up loses the oldest changes rather than holding up the others (its page re-reads on reconnect).
/// </summary>
public sealed class RunEventHub : IRunRegistryObserver
{
    private readonly Lock _gate = new();
    private readonly List<Channel<RunEntry>> _listeners = [];

    public void OnRunChanged(RunEntry entry)
    {
        lock (_gate)
        {
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
