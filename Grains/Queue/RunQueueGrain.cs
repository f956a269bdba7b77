using Microsoft.Extensions.Options;
using SandboxAgents.Runs;

namespace SandboxAgents.Queue;

/// <summary>The persisted first-come, first-served line of <see cref="IRunQueueGrain"/>.</summary>
public sealed class RunQueueGrain(
    [PersistentState(StorageNames.QueueState, StorageNames.Runs)] IPersistentState<RunQueueState> state,
    IOptions<RunOptions> options) : Grain, IRunQueueGrain
{
    public async Task<QueueTicket> AcquireAsync(string issue, string runId)
    {
        var run = Ticket(issue, runId);
        var line = state.State;
        if (line.Running.Contains(run)) return new QueueTicket(true, 0);

        var place = line.Waiting.IndexOf(run);
        var first = place < 0 ? line.Waiting.Count == 0 : place == 0;
        if (first && line.Running.Count < options.Value.MaxConcurrent)
        {
            line.Waiting.Remove(run);
            line.Running.Add(run);
            await state.WriteStateAsync();
            return new QueueTicket(true, 0);
        }

        if (place < 0)
        {
            line.Waiting.Add(run);
            await state.WriteStateAsync();
            place = line.Waiting.Count - 1;
        }

        return new QueueTicket(false, place + 1);
    }

    public async Task ReleaseAsync(string issue, string runId)
    {
        var run = Ticket(issue, runId);
        if (state.State.Running.Remove(run) | state.State.Waiting.Remove(run)) await state.WriteStateAsync();
    }

    public Task<QueueLine> GetLineAsync() => Task.FromResult(new QueueLine([.. state.State.Running], [.. state.State.Waiting]));

    private static string Ticket(string issue, string runId) => $"{issue}/{runId}";
}
