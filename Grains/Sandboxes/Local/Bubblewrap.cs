namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Builds the bubblewrap command line for a local sandbox: the host's system folders read-only, the sandbox's own
/// folder the only writable place (plus configured mirrors), its own PID namespace, and nothing of the service's data.
/// </summary>
public static class Bubblewrap
{
    public const string Executable = "/usr/bin/bwrap";

    public static bool IsInstalled() => File.Exists(Executable);

    /// <summary>Whether sandboxes are isolated under the given setting; throws when isolation is required but missing.</summary>
    public static bool Resolve(string isolation) => isolation.ToLowerInvariant() switch
    {
        "auto" => IsInstalled(),
        "bubblewrap" => IsInstalled() ? true : throw new InvalidOperationException(
            $"Sandbox:Local:Isolation is 'bubblewrap' but {Executable} is missing: install the 'bubblewrap' package."),
        "none" => false,
        _ => throw new InvalidOperationException($"Sandbox:Local:Isolation must be 'auto', 'bubblewrap' or 'none', not '{isolation}'."),
    };

    public static IReadOnlyList<string> Arguments(string workDirectory, LocalSandboxOptions options, string command)
    {
        var arguments = new List<string> { Executable, "--ro-bind", "/usr", "/usr" };
        foreach (var folder in new[] { "/bin", "/lib", "/lib64", "/sbin" })
        {
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is { } target) arguments.AddRange(["--symlink", target, folder]);
            else if (info.Exists) arguments.AddRange(["--ro-bind", folder, folder]);
        }

        arguments.AddRange(["--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var path in options.ReadOnlyPaths.Where(Directory.Exists)) arguments.AddRange(["--ro-bind", path, path]);
        foreach (var path in options.ReadWritePaths.Where(Directory.Exists)) arguments.AddRange(["--bind", path, path]);
        arguments.AddRange(["--bind", workDirectory, workDirectory, "--chdir", workDirectory]);
        arguments.AddRange(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--", "bash", "-c", command]);
        return arguments;
    }
}
