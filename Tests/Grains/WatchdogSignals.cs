using Orleans.Reminders.Diagnostics;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// The test silo's view of the grains' watchdog reminders, from Orleans' reminder diagnostics. The reminder service
/// arms the wait for a reminder's next beat only after its last tick has returned (and again after each change of its
/// schedule), and a beat the clock jumps past before that is skipped, not delivered late. So before moving the clock a
/// test awaits <see cref="ArmedAsync"/>: then a jump past the beat surely wakes the watchdog.
/// </summary>
public sealed class WatchdogSignals : IObserver<ReminderEvents.ReminderEvent>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private readonly object _lock = new();
    private readonly Dictionary<(GrainId Grain, object Instance), Schedule> _local = [];
    private readonly List<(GrainId Grain, TaskCompletionSource Armed)> _waiting = [];
    private readonly IDisposable _subscription;
    private SiloAddress? _silo;

    public WatchdogSignals() => _subscription = ReminderEvents.AllEvents.Subscribe(this);

    /// <summary>Listens to this silo only: the diagnostics are process-wide, and another test cluster may run alongside.</summary>
    public void Listen(SiloAddress silo) => _silo = silo;

    /// <summary>Completes once the grain's watchdog waits for its next beat; at once if the grain has none.</summary>
    public async Task ArmedAsync(GrainId grain)
    {
        TaskCompletionSource armed;
        lock (_lock)
        {
            if (IsArmed(grain)) return;
            armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((grain, armed));
        }

        try
        {
            await armed.Task.WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{grain}: its watchdog did not arm its next beat within {Bound}.");
        }
    }

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        if (value.ReminderName != StorageNames.WatchdogReminder || _silo is null || !_silo.Equals(value.SiloAddress)) return;
        var ready = new List<TaskCompletionSource>();
        lock (_lock)
        {
            Record(value);
            foreach (var waiter in _waiting.Where(w => IsArmed(w.Grain)).ToList())
            {
                _waiting.Remove(waiter);
                ready.Add(waiter.Armed);
            }
        }

        foreach (var armed in ready) armed.TrySetResult();
    }

    public void OnError(Exception error) { }

    public void OnCompleted() { }

    public void Dispose() => _subscription.Dispose();

    private void Record(ReminderEvents.ReminderEvent value)
    {
        switch (value)
        {
            case ReminderEvents.LocalReminderStarted started:
                _local.TryAdd((started.GrainId, started.Identity), new Schedule());
                break;
            case ReminderEvents.LocalReminderStopped stopped:
                _local.Remove((stopped.GrainId, stopped.Identity));
                break;
            case ReminderEvents.LocalReminderScheduleChanged changed when _local.TryGetValue((changed.GrainId, changed.Identity), out var schedule):
                schedule.Version = Math.Max(schedule.Version, changed.ScheduleVersion);
                break;
            case ReminderEvents.LocalReminderTickWaitArmed armed when _local.TryGetValue((armed.GrainId, armed.Identity), out var schedule)
                && armed.ScheduleVersion >= schedule.Version:
                schedule.ArmedVersion = armed.ScheduleVersion;
                schedule.Arms++;
                break;
            case ReminderEvents.TickFiring firing:
                foreach (var (key, schedule) in _local.Where(l => l.Key.Grain == firing.GrainId)) schedule.Firings++;
                break;
        }
    }

    /// <summary>Every local instance of the grain's watchdog has armed a wait since its last tick, for its latest schedule.</summary>
    private bool IsArmed(GrainId grain) =>
        _local.Where(l => l.Key.Grain == grain).All(l => l.Value.Arms > l.Value.Firings && l.Value.ArmedVersion >= l.Value.Version);

    private sealed class Schedule
    {
        public long Version { get; set; }

        public long ArmedVersion { get; set; } = -1;

        public int Arms { get; set; }

        public int Firings { get; set; }
    }
}
