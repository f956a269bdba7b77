namespace SandboxAgents.Sandboxes.Local.Cgroups;

/// <summary>One cgroup hierarchy as <c>/proc/self/mountinfo</c> shows it, and where this process sits in it.</summary>
internal sealed record CgroupMount(int Version, string MountPoint, IReadOnlySet<string> Controllers, string OwnPath)
{
    /// <summary>This process's own cgroup folder in this hierarchy.</summary>
    public string OwnDirectory => Path.Join(MountPoint, OwnPath.TrimStart('/'));

    /// <summary>
    /// The cgroup hierarchies mounted here. A mountinfo line reads
    /// <c>36 25 0:31 /root-in-fs /mount/point rw,relatime shared:13 - cgroup cgroup rw,memory</c>; /proc/self/cgroup
    /// lines read <c>4:memory:/path</c> (v1) and <c>0::/path</c> (v2).
    /// </summary>
    public static IReadOnlyList<CgroupMount> Read(string mountInfoFile, string cgroupFile)
    {
        if (!File.Exists(mountInfoFile) || !File.Exists(cgroupFile)) return [];
        var membership = File.ReadAllLines(cgroupFile)
            .Select(line => line.Split(':', 3))
            .Where(parts => parts.Length == 3)
            .ToList();
        var mounts = new List<CgroupMount>();
        foreach (var line in File.ReadAllLines(mountInfoFile))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0) continue;
            var fields = line[..separator].Split(' ');
            var tail = line[(separator + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3) continue;
            var (root, mountPoint, type) = (Unescape(fields[3]), Unescape(fields[4]), tail[0]);
            if (type == "cgroup2")
            {
                if (membership.FirstOrDefault(p => p[0] == "0" && p[1].Length == 0) is { } own)
                    mounts.Add(new CgroupMount(2, mountPoint, new HashSet<string>(StringComparer.Ordinal), Within(root, own[2])));
            }
            else if (type == "cgroup")
            {
                var controllers = tail[2].Split(',').Where(o => o is "memory" or "pids" or "cpu").ToHashSet(StringComparer.Ordinal);
                if (controllers.Count == 0) continue;
                var own = membership.FirstOrDefault(p => p[1].Split(',').Any(controllers.Contains));
                if (own is not null) mounts.Add(new CgroupMount(1, mountPoint, controllers, Within(root, own[2])));
            }
        }

        return mounts;
    }

    /// <summary>A cgroup path relative to the mount's root (a container sees its own cgroup as the root).</summary>
    private static string Within(string mountRoot, string path) =>
        mountRoot != "/" && path.StartsWith(mountRoot, StringComparison.Ordinal) ? path[mountRoot.Length..] is { Length: > 0 } rest ? rest : "/" : path;

    /// <summary>mountinfo escapes space, tab, newline and backslash as octal.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}
