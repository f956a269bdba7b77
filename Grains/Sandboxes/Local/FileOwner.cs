using System.Runtime.InteropServices;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Gives files to a sandbox's host user (the BCL has no chown). Links are changed themselves, never followed.</summary>
internal static partial class FileOwner
{
    public static void Give(string path, SandboxUser? user)
    {
        if (user is null) return;
        if (Lchown(path, user.Uid, user.Gid) != 0)
            throw new IOException($"Could not give {path} to uid {user.Uid}: errno {Marshal.GetLastPInvokeError()}.");
    }

    /// <summary>Gives the folders from <paramref name="top"/> (exclusive) down to <paramref name="path"/> (inclusive).</summary>
    public static void GiveDown(string top, string path, SandboxUser? user)
    {
        if (user is null) return;
        var folders = new Stack<string>();
        for (var current = path; current.Length > top.Length && current.StartsWith(top, StringComparison.Ordinal); current = Path.GetDirectoryName(current)!)
            folders.Push(current);
        foreach (var folder in folders) Give(folder, user);
    }

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole assembly; one call does not justify it.
    private static extern int Lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
#pragma warning restore SYSLIB1054
}
