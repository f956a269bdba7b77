namespace SandboxAgents.Sandboxes.Egress;

/// <summary>The hosts one sandbox was refused, in the order first seen, each once, at most <see cref="Capacity"/>.</summary>
internal sealed class BlockedHostLog
{
    public const int Capacity = 50;
    private readonly List<string> _hosts = [];
    private readonly Lock _lock = new();

    /// <summary>Records a host; false when it was already recorded or the log is full.</summary>
    public bool Add(string host)
    {
        lock (_lock)
        {
            if (_hosts.Count >= Capacity || _hosts.Contains(host)) return false;
            _hosts.Add(host);
            return true;
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock) return [.. _hosts];
    }
}
