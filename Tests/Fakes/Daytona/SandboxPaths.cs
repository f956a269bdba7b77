namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// Maps a toolbox path onto this machine. Relative paths resolve against the daemon's working directory
/// (API.md §4.4); a path that leaves that directory is refused with 403, since on this machine it would reach the
/// test host's own files rather than the sandbox's.
/// </summary>
internal static class SandboxPaths
{
    public static string Resolve(FakeSandbox sandbox, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new DaytonaException(400, "path is required");
        var root = Path.TrimEndingDirectorySeparator(sandbox.WorkingDirectory);
        var full = Path.GetFullPath(path, root);
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new DaytonaException(403, $"path {path} is outside the sandbox's working directory {root}");
        return full;
    }
}
