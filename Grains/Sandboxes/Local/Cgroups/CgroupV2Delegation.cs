namespace SandboxAgents.Sandboxes.Local.Cgroups;

/// <summary>
/// Makes room for sandbox cgroups in a cgroup v2 hierarchy. v2 lets a cgroup hand controllers to its children only
/// while no process sits in it (the root excepted), so the service first moves itself into a leaf of its own cgroup
/// (<c>service</c>), as container runtimes do in a delegated subtree, then enables the controllers for
/// <c>sandbox-agents/</c>. (Under systemd: <c>Delegate=yes</c> and <c>KillMode=process</c>, so a restart of the
/// service leaves its sandboxes running.)
/// </summary>
internal static class CgroupV2Delegation
{
    /// <summary>The folder sandbox cgroups go in, or null when the controllers cannot be had here.</summary>
    public static string? Prepare(CgroupMount unified, IReadOnlyList<string> needed, int processId)
    {
        var own = unified.OwnDirectory;
        var available = Words(Path.Join(own, "cgroup.controllers"));
        if (!needed.All(available.Contains)) return null;

        var enable = string.Join(' ', needed.Select(c => "+" + c));
        if (unified.OwnPath != "/" && Words(Path.Join(own, "cgroup.procs")).Count > 0)
        {
            var leaf = Directory.CreateDirectory(Path.Join(own, "service")).FullName;
            File.WriteAllText(Path.Join(leaf, "cgroup.procs"), processId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        File.WriteAllText(Path.Join(own, "cgroup.subtree_control"), enable);
        var folder = Directory.CreateDirectory(Path.Join(own, CgroupHost.Folder)).FullName;
        File.WriteAllText(Path.Join(folder, "cgroup.subtree_control"), enable);
        return folder;
    }

    private static HashSet<string> Words(string file) =>
        File.Exists(file) ? [.. File.ReadAllText(file).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)] : [];
}
