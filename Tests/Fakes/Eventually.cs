namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// Waits for work already set in motion (a grain turn, a child process) to show its effect. It never waits for time
/// to pass in the system under test: tests move the fake clock themselves. The bound only turns a hang into a failure.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// Generous: on two busy cores (and a CI machine that was once 3.5 times slower than this one) a whole run can take
    /// many times its unloaded duration. A bound only stops a hang; it never measures anything.
    /// </summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Looks again soon at first, then less often: a long wait (a whole run in a child process) costs a few reads a
    /// second instead of a hundred, and on two cores those reads compete with the work being waited for.
    /// </summary>
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(100);

    public static async Task<T> MatchesAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultBound);
        var value = await read();
        var pause = FirstPause;
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}; last value: {value}");
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 3 / 2, LongestPause.Ticks));
            value = await read();
        }

        return value;
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        MatchesAsync(() => Task.FromResult(condition()), c => c, what, within);
}
