namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The bubblewrap command line for one sandbox command: the host's system folders read-only, the sandbox's working
/// folder writable at its own host path, configured extra paths, its own /proc, /dev, /tmp and PID namespace, and
/// nothing else of the host (no /root, no service data, not the sandbox's metadata).
/// </summary>
internal static class BubblewrapArguments
{
    private static readonly string[] UsrLinks = ["/bin", "/lib", "/lib64", "/sbin"];

    public static IReadOnlyList<string> For(string bubblewrap, string workDirectory, LocalSandboxOptions options, string command)
    {
        var arguments = new List<string> { bubblewrap, "--ro-bind", "/usr", "/usr" };
        foreach (var folder in UsrLinks)
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is { } target) arguments.AddRange(["--symlink", target, folder]);
            else if (info.Exists) arguments.AddRange(["--ro-bind", folder, folder]);
        }

        // Order matters: later mounts land on top of earlier ones, so /tmp comes before binds that may live under it.
        arguments.AddRange(["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var path in options.ReadOnlyPaths.Where(Path.Exists)) arguments.AddRange(["--ro-bind", path, path]);
        arguments.AddRange(["--bind", workDirectory, workDirectory, "--chdir", workDirectory]);
        arguments.AddRange(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--", "/bin/bash", "-c", command]);
        return arguments;
    }
}
