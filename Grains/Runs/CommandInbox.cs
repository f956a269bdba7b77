namespace SandboxAgents.Runs;

/// <summary>
/// The grain's inbox: commands numbered in arrival order and persisted before the caller gets its answer. Adding
/// may interleave with a running tick and with other adds, so each change is made at once (the grain runs one piece
/// of code at a time) and the writes are chained, never concurrent. The tick only reads the inbox, and marks what it
/// has handled in <see cref="IssueState.LastCommand"/>.
/// </summary>
public sealed class CommandInbox(IPersistentState<InboxState> inbox)
{
    private const int DeliveriesKept = 100;
    private Task _lastWrite = Task.CompletedTask;

    /// <summary>Adds the command; false when its delivery id was seen before (then nothing changes).</summary>
    public async Task<bool> AddAsync(IssueCommand command, long handledUpTo)
    {
        var state = inbox.State;
        if (command.DeliveryId is { } delivery)
        {
            if (state.Deliveries.Contains(delivery, StringComparer.Ordinal)) return false;
            state.Deliveries.Add(delivery);
            if (state.Deliveries.Count > DeliveriesKept) state.Deliveries.RemoveRange(0, state.Deliveries.Count - DeliveriesKept);
        }

        state.Commands.RemoveAll(c => c.Number <= handledUpTo);
        state.Commands.Add(new NumberedCommand(++state.LastNumber, command));
        var write = WriteAfterAsync(_lastWrite);
        _lastWrite = write;
        await write;
        return true;
    }

    /// <summary>The command's delivery was taken before.</summary>
    public bool HasSeen(IssueCommand command) =>
        command.DeliveryId is { } delivery && inbox.State.Deliveries.Contains(delivery, StringComparer.Ordinal);

    /// <summary>Commands not yet handled, oldest first.</summary>
    public IReadOnlyList<NumberedCommand> After(long handledUpTo) => [.. inbox.State.Commands.Where(c => c.Number > handledUpTo)];

    private async Task WriteAfterAsync(Task previous)
    {
        // The previous caller has seen its own failure; this write carries its change too. Both writes were started by
        // this grain on its own scheduler, which is what VSTHRD003 worries about.
#pragma warning disable VSTHRD003
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
#pragma warning restore VSTHRD003
        await inbox.WriteStateAsync();
    }
}
