namespace SandboxAgents.Sandboxes.Local;

/// <summary>Removes a sandbox's folder, even when what ran inside left read-only folders behind.</summary>
internal static class DirectoryRemover
{
    private const UnixFileMode OwnerAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>True once the folder is gone; false when it could not be removed yet (the caller asks again later).</summary>
    public static bool TryRemove(string directory)
    {
        for (var attempt = 0; attempt < 2 && Directory.Exists(directory); attempt++)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 0) MakeWritable(directory);
            }
        }

        return !Directory.Exists(directory);
    }

    private static void MakeWritable(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var folders = new DirectoryInfo(directory).EnumerateDirectories("*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        });
        foreach (var folder in folders.Prepend(new DirectoryInfo(directory)))
        {
            try
            {
                folder.UnixFileMode |= OwnerAll;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to change; the delete that follows reports the folder as still there.
            }
        }
    }
}
