using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace SandboxAgents.Registry;

/// <summary>
/// Keeps <see cref="IRunRegistryGrain"/>'s index, persisted, and pushes each change to its observers. Records
/// interleave: each changes the index in one synchronous step, then waits for a coalesced write, so a thousand runs
/// changing at once cost a few writes of the index rather than one each.
/// </summary>
public sealed class RunRegistryGrain : Grain, IRunRegistryGrain
{
    private readonly IPersistentState<RegistryState> _state;
    private readonly RegistryOptions _options;
    private readonly ObserverManager<IRunRegistryObserver> _observers;
    private readonly CoalescedWrites _writes;

    public RunRegistryGrain(
        [PersistentState(StorageNames.RegistryState, StorageNames.Runs)] IPersistentState<RegistryState> state,
        IOptions<RegistryOptions> options,
        ILogger<RunRegistryGrain> logger)
    {
        _state = state;
        _options = options.Value;
        _observers = new ObserverManager<IRunRegistryObserver>(_options.SubscriptionExpiry, logger);
        _writes = new CoalescedWrites(() => _state.WriteStateAsync());
    }

    public async Task RecordAsync(RunEntry entry)
    {
        var runs = _state.State.Runs;
        if (runs.TryGetValue(entry.Key, out var held) && held.RunId == entry.RunId && held.UpdatedAt > entry.UpdatedAt) return;
        runs[entry.Key] = entry;
        Trim(runs);
        await _writes.WriteAsync();
        _observers.Notify(o => o.OnRunChanged(entry));
    }

    public Task<RunPage> GetPageAsync(RunQuery query)
    {
        var size = Math.Clamp(query.PageSize, 1, RegistryOptions.MaxPageSize);
        var page = Math.Max(1, query.Page);
        var matching = _state.State.Runs.Values
            .Where(r => query.State is null || r.State == query.State)
            .Where(r => query.Repository is null || string.Equals(r.Repository, query.Repository, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.CreatedAt)
            .ThenBy(r => r.Key, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new RunPage([.. matching.Skip((page - 1) * size).Take(size)], page, size, matching.Count));
    }

    public Task<IReadOnlyList<RunEntry>> FindActiveAsync(string account, IReadOnlyList<string>? repositories)
    {
        var named = repositories?.ToHashSet(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<RunEntry> active = [.. _state.State.Runs.Values
            .Where(r => r.State.IsActive())
            .Where(r => named is null
                ? string.Equals(IssueKey.Parse(r.Key).Owner, account, StringComparison.OrdinalIgnoreCase)
                : named.Contains(r.Repository))];
        return Task.FromResult(active);
    }

    public Task SubscribeAsync(IRunRegistryObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IRunRegistryObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private void Trim(Dictionary<string, RunEntry> runs)
    {
        var excess = runs.Count - _options.Capacity;
        if (excess <= 0) return;
        foreach (var ended in runs.Values.Where(r => r.State.IsTerminal()).OrderBy(r => r.UpdatedAt).Take(excess).ToList())
            runs.Remove(ended.Key);
    }
}
