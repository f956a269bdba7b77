using System.Runtime.InteropServices;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>The socket file a sandbox connects to: what was left at its path before, and who may connect.</summary>
internal static partial class UnixSocketFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAndGroup = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
    private const UnixFileMode Everyone = OwnerAndGroup | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Removes what a listener from before a restart left at the path (a socket file outlives its process).</summary>
    public static void RemoveStale(string path)
    {
        if (Directory.Exists(path)) throw new IOException($"{path} is a directory, not a socket file.");
        File.Delete(path);
    }

    /// <summary>
    /// Hands the file to the sandbox's own host user (mode 0600; a group only: 0660), or, without one, lets anyone
    /// connect (0666): the folder the caller made and bound into this sandbox alone is then what keeps others out.
    /// </summary>
    public static void Protect(string path, int? ownerUid, int? ownerGid)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Sandbox egress sockets need Linux.");
        if (ownerUid is null && ownerGid is null)
        {
            File.SetUnixFileMode(path, Everyone);
            return;
        }

        File.SetUnixFileMode(path, ownerUid is null ? OwnerAndGroup : OwnerOnly);
        if (LChown(path, ownerUid ?? -1, ownerGid ?? -1) != 0)
            throw new IOException($"Could not hand {path} to {ownerUid}:{ownerGid} (errno {Marshal.GetLastPInvokeError()}).");
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The sandbox's folder may be gone already; a file left behind is removed by the next Open at this path.
        }
    }

    [DllImport("libc", EntryPoint = "lchown", SetLastError = true)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code enabled for the whole assembly; one call does not justify it.
    private static extern int LChown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);
#pragma warning restore SYSLIB1054
}
