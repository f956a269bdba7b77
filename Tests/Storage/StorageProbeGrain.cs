using Orleans.Runtime;

namespace SandboxAgents.Tests.Storage;

/// <summary>A grain that persists a counter and counts reminder ticks, to see both survive a silo restart.</summary>
[Alias("SandboxAgents.Tests.Storage.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    [Alias("Increment")] Task<int> IncrementAsync();

    [Alias("GetState")] Task<ProbeState> GetStateAsync();

    [Alias("StartReminder")] Task StartReminderAsync(TimeSpan period);

    [Alias("HasReminder")] Task<bool> HasReminderAsync();
}

public sealed class StorageProbeGrain(
    [PersistentState(StorageProbeGrain.StateName, StorageProbeGrain.StorageName)] IPersistentState<ProbeState> state)
    : Grain, IStorageProbeGrain, IRemindable
{
    public const string StorageName = "sqlite-probe";
    public const string StateName = "probe";
    public const string ReminderName = "tick";

    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<ProbeState> GetStateAsync() => Task.FromResult(state.State);

    public Task StartReminderAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task<bool> HasReminderAsync() => await this.GetReminder(ReminderName) is not null;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
    }
}
