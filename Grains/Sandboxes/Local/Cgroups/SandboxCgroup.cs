using System.Globalization;

namespace SandboxAgents.Sandboxes.Local.Cgroups;

/// <summary>
/// One sandbox's cgroup: a folder per v1 controller, or one v2 folder. Every command of the sandbox joins it before it
/// starts, so the limits bound the sandbox as a whole, its processes can be listed and killed whatever they did to
/// their sessions, and the kernel's counters tell whether the sandbox ran into a limit.
/// </summary>
internal sealed class SandboxCgroup(int version, IReadOnlyList<string> directories)
{
    private const long CpuPeriodMicroseconds = 100_000;

    public IReadOnlyList<string> Directories => directories;

    /// <summary>Makes the folders and writes the limits. Safe to repeat.</summary>
    public void Create(SandboxLimits limits)
    {
        foreach (var directory in directories) Directory.CreateDirectory(directory);
        var quota = Math.Max(1000, (long)(limits.Cpus * CpuPeriodMicroseconds)).ToString(CultureInfo.InvariantCulture);
        var memory = limits.MemoryBytes.ToString(CultureInfo.InvariantCulture);
        var processes = limits.Processes.ToString(CultureInfo.InvariantCulture);
        if (version == 2)
        {
            Write("memory.max", memory);
            WriteIfPresent("memory.swap.max", "0");
            Write("pids.max", processes);
            Write("cpu.max", $"{quota} {CpuPeriodMicroseconds}");
            return;
        }

        Write("memory.limit_in_bytes", memory);
        WriteIfPresent("memory.memsw.limit_in_bytes", memory);
        Write("pids.max", processes);
        Write("cpu.cfs_period_us", CpuPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
        Write("cpu.cfs_quota_us", quota);
    }

    /// <summary>The cgroup whose folders a sandbox's description records (a v2 folder has <c>cgroup.controllers</c>).</summary>
    public static SandboxCgroup From(IReadOnlyList<string> directories) =>
        new(directories.Any(d => File.Exists(Path.Join(d, "cgroup.controllers"))) ? 2 : 1, directories);

    /// <summary>A shell command that moves the shell running it (and so what it then execs) into the cgroup's folders.</summary>
    public static string JoinCommand(IEnumerable<string> directories) =>
        string.Join(" && ", directories.Select(d => $"echo $BASHPID > '{d.Replace("'", "'\\''", StringComparison.Ordinal)}/cgroup.procs'"));

    /// <summary>The process ids in the cgroup now.</summary>
    public IReadOnlyList<int> Processes()
    {
        var found = new HashSet<int>();
        foreach (var directory in directories)
        {
            foreach (var line in ReadLines(Path.Join(directory, "cgroup.procs")))
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1) found.Add(pid);
        }

        return [.. found];
    }

    /// <summary>Which limit the sandbox ran into, as the kernel counted it, or null.</summary>
    public string? LimitReached(SandboxLimits limits)
    {
        var (oomFile, pidsFile) = version == 2 ? ("memory.events", "pids.events") : ("memory.oom_control", "pids.events");
        if (Counter(oomFile, "oom_kill") > 0)
            return $"The sandbox ran out of memory (its limit is {limits.MemoryMegabytes} MB) and the kernel killed a process.";
        if (Counter(pidsFile, "max") > 0)
            return $"The sandbox reached its limit of {limits.Processes} processes (a fork bomb, or a build that needs more).";
        return null;
    }

    /// <summary>Removes the folders; false while processes remain in them.</summary>
    public bool TryRemove()
    {
        var removed = true;
        foreach (var directory in directories.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                removed = false;
            }
        }

        return removed;
    }

    private long Counter(string file, string name)
    {
        foreach (var directory in directories)
        {
            foreach (var line in ReadLines(Path.Join(directory, file)))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts is [var key, var value] && key == name && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    return count;
            }
        }

        return 0;
    }

    private void Write(string file, string value)
    {
        var written = false;
        foreach (var directory in directories.Where(d => File.Exists(Path.Join(d, file))))
        {
            File.WriteAllText(Path.Join(directory, file), value);
            written = true;
        }

        if (!written) throw new IOException($"No cgroup folder of the sandbox has {file}.");
    }

    private void WriteIfPresent(string file, string value)
    {
        foreach (var directory in directories.Where(d => File.Exists(Path.Join(d, file))))
        {
            try
            {
                File.WriteAllText(Path.Join(directory, file), value);
            }
            catch (IOException)
            {
                // Swap accounting is optional (kernels built without it refuse); the memory limit still holds.
            }
        }
    }

    private static string[] ReadLines(string file)
    {
        try
        {
            return File.Exists(file) ? File.ReadAllLines(file) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
