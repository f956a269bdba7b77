namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The folder sandboxes are made in. When each sandbox runs as its own host user, that user must be able to pass
/// through every folder above its own (bubblewrap opens what it binds with the sandbox user's rights), so the service
/// makes the root traversable but not listable, and refuses to start when a folder above it is closed to others.
/// </summary>
internal static class SandboxRoot
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static string Prepare(string root, bool separateUsers)
    {
        var full = Path.GetFullPath(root);
        var created = !Directory.Exists(full);
        Directory.CreateDirectory(full);
        if (OperatingSystem.IsWindows() || !separateUsers) return full;
        if (created) File.SetUnixFileMode(full, Traversable);
        RequireReachable(full, "Sandbox:Local:Root");
        return full;
    }

    /// <summary>Throws when other users (the sandboxes' own) cannot pass through every folder down to <paramref name="path"/>.</summary>
    public static void RequireReachable(string path, string setting)
    {
        if (OperatingSystem.IsWindows()) return;
        var full = Path.GetFullPath(path);
        for (var folder = new DirectoryInfo(full); folder is not null; folder = folder.Parent)
        {
            if (!folder.Exists || (folder.UnixFileMode & UnixFileMode.OtherExecute) != 0) continue;
            throw new InvalidOperationException(
                $"{setting} is {full}, but {folder.FullName} is closed to other users (mode {Convert.ToString((int)folder.UnixFileMode, 8)}): " +
                "the sandboxes run as their own users and could not reach it. Choose a path whose folders others may pass through (e.g. under /tmp, /opt or /var/lib), or open that folder (chmod o+x).");
        }
    }
}
