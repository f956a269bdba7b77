namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The bubblewrap command line for one sandbox command. The command runs as user 1000 of its own user namespace with
/// every capability dropped, no new privileges, further user namespaces refused, its own PID, IPC, UTS and cgroup
/// namespaces, a new session (no TIOCSTI into the service's terminal), and its own network namespace unless the host
/// network is asked for. It sees the host's <c>/usr</c> read-only, a minimal <c>/etc</c>, its own <c>/proc</c>,
/// <c>/dev</c> and size-limited <c>/tmp</c>, its work folder at <c>/workspace</c>, the configured read-only paths,
/// and, when it reaches the network through the egress proxy, that proxy's socket folder. Nothing else of the host;
/// everything outside <c>/workspace</c> and <c>/tmp</c> is read-only.
/// </summary>
internal static class BubblewrapArguments
{
    public const string Workspace = "/workspace";
    private static readonly string[] UsrLinks = ["/bin", "/lib", "/lib64", "/sbin"];

    public static IReadOnlyList<string> For(string bubblewrap, LocalSandbox sandbox, LocalSandboxOptions options, SandboxNetwork network, string command)
    {
        var inside = SandboxUser.InsideId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            bubblewrap,
            "--unshare-user", "--uid", inside, "--gid", inside, "--disable-userns",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup", "--hostname", "sandbox",
            "--new-session", "--die-with-parent", "--cap-drop", "ALL",
            "--ro-bind", "/usr", "/usr",
        };
        if (!network.SharesHost) arguments.Add("--unshare-net");
        foreach (var folder in UsrLinks)
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is { } target) arguments.AddRange(["--symlink", target, folder]);
            else if (info.Exists) arguments.AddRange(["--ro-bind", folder, folder]);
        }

        arguments.AddRange(MinimalEtc.Arguments(sandbox.Etc, network.SharesHost));
        arguments.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        arguments.AddRange(["--size", options.Limits.TmpBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        foreach (var path in options.ReadOnlyPaths.Where(Path.Exists)) arguments.AddRange(["--ro-bind", path, path]);
        if (network.ProxySocketFolder is { } proxy) arguments.AddRange(["--ro-bind", sandbox.Net, proxy]);
        arguments.AddRange(["--bind", sandbox.Work, Workspace, "--remount-ro", "/", "--chdir", Workspace]);
        arguments.Add("--");
        arguments.AddRange(network.Wrap(command));
        return arguments;
    }
}
