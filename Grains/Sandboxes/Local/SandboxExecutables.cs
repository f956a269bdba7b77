namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Whether a program can be started inside a local sandbox, judged from the host's files without starting one: found
/// on the sandbox's <c>PATH</c> (or at its absolute path), executable, and, when isolated, inside what bubblewrap binds
/// (the host's <c>/usr</c>, the <c>/bin</c>-style folders, <c>Sandbox:Local:ReadOnlyPaths</c>) along with the file a
/// link points to. An npm prefix outside <c>/usr</c> fails here: its link or its target is not in the sandbox.
/// </summary>
internal static class SandboxExecutables
{
    private static readonly string[] AlwaysBound = ["/usr", "/bin", "/sbin", "/lib", "/lib64"];

    /// <summary>The host path the sandbox would run for <paramref name="executable"/>, or null when it cannot.</summary>
    public static string? Find(string executable, string sandboxPath, bool isolated, IEnumerable<string> readOnlyPaths)
    {
        var bound = isolated ? [.. AlwaysBound, .. readOnlyPaths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)))] : (string[]?)null;
        var candidates = executable.Contains('/', StringComparison.Ordinal)
            ? [executable]
            : sandboxPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Path.IsPathRooted).Select(folder => Path.Combine(folder, executable));
        return candidates.FirstOrDefault(candidate => Path.IsPathRooted(candidate) && IsRunnable(candidate, bound));
    }

    private static bool IsRunnable(string path, string[]? bound)
    {
        var file = new FileInfo(path);
        if (!file.Exists || !IsVisible(file.FullName, bound)) return false;
        var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo;
        return target is { Exists: true } && IsVisible(target.FullName, bound)
            && (target.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static bool IsVisible(string path, string[]? bound) =>
        bound is null || bound.Any(folder => path.StartsWith(folder + "/", StringComparison.Ordinal));
}
