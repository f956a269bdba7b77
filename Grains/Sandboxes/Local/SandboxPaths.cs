namespace SandboxAgents.Sandboxes.Local;

/// <summary>Resolves a path given by a caller inside a sandbox's working directory, refusing anything that leaves it.</summary>
public static class SandboxPaths
{
    public static string Resolve(string workDirectory, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath))
            throw new ArgumentException($"'{relativePath}' is not a path relative to the sandbox.", nameof(relativePath));

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDirectory));
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!IsInside(root, full))
            throw new ArgumentException($"'{relativePath}' leads out of the sandbox.", nameof(relativePath));

        // A link planted inside the sandbox must not lead a read or write of ours outside it.
        for (var current = full; current.Length > root.Length; current = Path.GetDirectoryName(current)!)
        {
            var info = new FileInfo(current);
            if (info.Exists || Directory.Exists(current))
            {
                var target = info.LinkTarget ?? new DirectoryInfo(current).LinkTarget;
                if (target is not null && !IsInside(root, Path.GetFullPath(target, Path.GetDirectoryName(current)!)))
                    throw new ArgumentException($"'{relativePath}' passes through a link out of the sandbox.", nameof(relativePath));
            }
        }

        return full;
    }

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
