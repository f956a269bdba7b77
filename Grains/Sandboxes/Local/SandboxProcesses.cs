using System.Diagnostics;
using System.Globalization;
using SandboxAgents.Sandboxes.Local.Cgroups;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Ends every process of a sandbox: its commands' process groups, everything in its cgroup, everything its own host
/// user runs, anything that left its group but kept the command's session, and anything still working inside the
/// sandbox's folder. Under bubblewrap the PID namespace already takes all of them down with the group; the cgroup and
/// the user catch what a hostile command did to get away from both.
/// </summary>
internal static class SandboxProcesses
{
    private const int Rounds = 50;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Kills until a scan finds nothing left (true), or gives up after about a second (false). The pauses are real
    /// time on purpose: they wait for the kernel to end processes, not for the service's (possibly fake) clock.
    /// </summary>
    public static async Task<bool> KillAllAsync(LocalSandbox sandbox, SandboxCgroup? cgroup, SandboxUser? user, CancellationToken cancellationToken)
    {
        var groups = sandbox.Groups().ToHashSet();
        var folder = sandbox.Directory + Path.DirectorySeparatorChar;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var group in groups) ProcessGroup.KillGroup(group);
            foreach (var process in cgroup?.Processes() ?? []) ProcessGroup.KillProcess(process);
            if (user is not null) await KillEverythingOfAsync(user, cancellationToken);
            var survivors = HostProcess.All()
                .Where(p => p.Id != Environment.ProcessId && p.Id > 1)
                .Where(p => groups.Contains(p.Group) || groups.Contains(p.Session)
                    || (p.WorkingDirectory is { } cwd && (cwd + Path.DirectorySeparatorChar).StartsWith(folder, StringComparison.Ordinal)))
                .Select(p => p.Id)
                .Concat(cgroup?.Processes() ?? [])
                .Distinct()
                .ToList();
            if (survivors.Count == 0) return true;
            foreach (var survivor in survivors) ProcessGroup.KillProcess(survivor);
            await Task.Delay(Pause, cancellationToken);
        }

        return false;
    }

    /// <summary><c>kill -9 -1</c> as the sandbox's user: every process that user runs, wherever it went.</summary>
    private static async Task KillEverythingOfAsync(SandboxUser user, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])[
            "--reuid=" + user.Uid.ToString(CultureInfo.InvariantCulture), "--regid=" + user.Gid.ToString(CultureInfo.InvariantCulture),
            "--clear-groups", "--", "/bin/kill", "-9", "-1"])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        using var killer = Process.Start(start);
        if (killer is null) return;
        await killer.WaitForExitAsync(cancellationToken);
    }
}
