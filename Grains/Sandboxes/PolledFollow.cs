namespace SandboxAgents.Sandboxes;

/// <summary>
/// Following a command by asking for its status at a steady pace: the way for a provider that has no stream of its
/// own. New lines are those after the last tail line seen before (a tail that no longer holds it is all new).
/// </summary>
public static class PolledFollow
{
    public static async Task RunAsync(
        ISandboxProvider provider, string sandboxId, string commandId, Action<string> onLine, TimeSpan interval, TimeProvider clock, CancellationToken cancellationToken)
    {
        string? last = null;
        while (true)
        {
            var status = await provider.GetCommandAsync(sandboxId, commandId, 50, cancellationToken);
            var tail = status.LogTail;
            var seen = last is null ? -1 : LastIndexOf(tail, last);
            for (var i = seen + 1; i < tail.Count; i++) onLine(tail[i]);
            if (tail.Count > 0) last = tail[^1];
            if (status.Phase != CommandPhase.Running) return;
            await Task.Delay(interval, clock, cancellationToken);
        }
    }

    private static int LastIndexOf(IReadOnlyList<string> lines, string line)
    {
        for (var i = lines.Count - 1; i >= 0; i--)
            if (string.Equals(lines[i], line, StringComparison.Ordinal)) return i;
        return -1;
    }
}
