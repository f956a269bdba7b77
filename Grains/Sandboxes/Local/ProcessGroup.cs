using System.Runtime.InteropServices;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Signals through libc <c>kill</c>: a whole process group (every process a command started) or one process.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Whether any process is still in the group.</summary>
    public static bool IsAlive(int groupId) => groupId > 1 && Kill(-groupId, 0) == 0;

    public static void KillGroup(int groupId)
    {
        if (groupId > 1) _ = Kill(-groupId, SigKill);
    }

    public static void KillProcess(int processId)
    {
        if (processId > 1 && processId != Environment.ProcessId) _ = Kill(processId, SigKill);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole assembly; one call does not justify it.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
