namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Resolves a path given by a caller inside a sandbox's working directory, refusing anything that leaves it: absolute
/// paths, <c>..</c>, and links (followed one component at a time, as the kernel does) that lead out.
/// </summary>
public static class SandboxPaths
{
    private const int MaxLinks = 40;

    /// <summary>The real path the relative path names, inside <paramref name="workDirectory"/>; ArgumentException otherwise.</summary>
    public static string Resolve(string workDirectory, string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath) || Path.IsPathRooted(relativePath) || relativePath.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"'{relativePath}' is not a path relative to the sandbox.", nameof(relativePath));

        var root = RealPath(Path.GetFullPath(workDirectory), relativePath);
        var full = RealPath(root + "/" + relativePath, relativePath);
        if (!full.StartsWith(root + "/", StringComparison.Ordinal))
            throw new ArgumentException($"'{relativePath}' leads out of the sandbox.", nameof(relativePath));
        return full;
    }

    /// <summary>Follows every link in an absolute path, treating <c>..</c> after a link the way the kernel does.</summary>
    private static string RealPath(string absolute, string asked)
    {
        var pending = new Stack<string>(absolute.Split('/').Reverse());
        var current = "/";
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks) throw new ArgumentException($"'{asked}' passes through too many links.", nameof(asked));
            if (target.StartsWith('/')) current = "/";
            foreach (var segment in target.Split('/').Reverse()) pending.Push(segment);
        }

        return current;
    }
}
