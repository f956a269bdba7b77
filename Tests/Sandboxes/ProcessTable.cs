namespace SandboxAgents.Tests.Sandboxes;

/// <summary>Finds live <c>sleep</c> processes of this machine by their unique argument (<c>/proc/*/cmdline</c>).</summary>
public static class ProcessTable
{
    /// <summary>How many processes run exactly <c>sleep {duration}</c> (not the shells whose scripts mention it).</summary>
    public static int CountSleeping(string duration)
    {
        var expected = $"sleep\0{duration}\0";
        var count = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out _)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")) == expected) count++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return count;
    }

    /// <summary>A <c>sleep</c> argument no other process has: the command line then names exactly one test's process.</summary>
    public static string UniqueSleep() => $"1000.{Random.Shared.NextInt64(100_000_000, 999_999_999)}";
}
