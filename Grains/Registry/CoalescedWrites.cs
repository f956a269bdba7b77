namespace SandboxAgents.Registry;

/// <summary>
/// One grain's state writes, one at a time, where every change made while a write is under way shares the next one:
/// each caller still returns only once its change is stored, and a burst of n changes costs two writes instead of n.
/// Runs on the grain's scheduler (plain awaits keep it there), so its fields need no lock.
/// </summary>
internal sealed class CoalescedWrites(Func<Task> write)
{
    private Task? _current;
    private Task? _next;

    /// <summary>Completes once a write that began after this call has stored the state.</summary>
    public Task WriteAsync()
    {
        if (_next is not null) return _next;
        if (_current is null || _current.IsCompleted) return _current = write();
        return _next = AfterCurrentAsync(_current);
    }

    private async Task AfterCurrentAsync(Task current)
    {
        try
        {
            // The write awaited was started by this same grain on its own scheduler, which VSTHRD003 cannot know.
#pragma warning disable VSTHRD003
            await current;
#pragma warning restore VSTHRD003
        }
        catch
        {
            // That write's callers see its failure; the changes waiting here are written afresh.
        }

        _next = null;
        _current = write();
        await _current;
    }
}
