using System.Globalization;
using System.Runtime.InteropServices;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// Kills and inspects a whole process group, so a sandbox's commands die with it however deep they forked. Liveness
/// reads <c>/proc</c> and ignores zombies: a killed grandchild may wait a while for its new parent to reap it.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    public static void KillAll(int groupId)
    {
        if (groupId > 0) _ = Kill(-groupId, SigKill);
    }

    /// <summary>
    /// Kills every process working inside the folder: a real sandbox is a container, and destroying it ends all its
    /// processes, including those that left the command's process group (<c>setsid</c>, daemons).
    /// </summary>
    /// <returns>How many processes were still there to kill.</returns>
    public static int KillAllWorkingIn(string folder)
    {
        var killed = 0;
        var root = Path.TrimEndingDirectorySeparator(folder);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            string? cwd;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone, or not ours to look at
            }

            if (cwd is not null && (cwd == root || cwd.StartsWith(root + "/", StringComparison.Ordinal)) && Kill(pid, SigKill) == 0) killed++;
        }

        return killed;
    }

    public static bool IsAlive(int groupId)
    {
        if (groupId <= 0) return false;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while we looked
            }

            // After the command name in parentheses: state, ppid, pgrp, ...
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z" && int.Parse(fields[2], CultureInfo.InvariantCulture) == groupId) return true;
        }

        return false;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole assembly; one call does not justify it.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
