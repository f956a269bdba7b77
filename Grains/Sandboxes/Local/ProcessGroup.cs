using System.Runtime.InteropServices;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Signals a whole process group: every process a sandbox command started, however deep.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    public static bool IsAlive(int groupId) => groupId > 0 && Kill(-groupId, 0) == 0;

    public static void KillAll(int groupId)
    {
        if (groupId > 0) _ = Kill(-groupId, SigKill);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole assembly; one call does not justify it.
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
