using System.Diagnostics;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Finds a bubblewrap executable that actually works here (user namespaces may be turned off).</summary>
public static class BubblewrapLocator
{
    public const string DefaultPath = "/usr/bin/bwrap";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether bubblewrap is installed and can start an isolated process.</summary>
    public static bool IsBubblewrapAvailable() => Find(null, Environment.IsPrivilegedProcess ? new LocalSandboxOptions().FirstUid : null) is not null;

    /// <summary>The configured executable, else <c>/usr/bin/bwrap</c>, else <c>bwrap</c> on PATH, if it works; otherwise null.</summary>
    public static string? Find(string? configured, int? sandboxUid) =>
        Candidates(configured).FirstOrDefault(path => File.Exists(path) && Works(path, sandboxUid, out _));

    /// <summary>
    /// Starts a trivial command inside bubblewrap with the namespaces sandboxes get, as the sandbox user would run it
    /// (<paramref name="sandboxUid"/>, when the service is root); false (with bubblewrap's complaint) when that fails.
    /// </summary>
    public static bool Works(string path, int? sandboxUid, out string problem)
    {
        string[] probe =
        [
            path, "--unshare-user", "--uid", "1000", "--gid", "1000", "--disable-userns", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--proc", "/proc", "--dev", "/dev", "--die-with-parent", "--", "/usr/bin/true",
        ];
        string[] user = sandboxUid is { } uid
            ? ["/usr/bin/setpriv", $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--"]
            : [];
        var command = user.Concat(probe).ToArray();
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in command[1..]) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                problem = "it did not finish within " + ProbeTimeout;
                return false;
            }

#pragma warning disable VSTHRD002 // The process has exited, so its stderr is complete; the constructor that asks is synchronous.
            problem = error.GetAwaiter().GetResult().Trim();
#pragma warning restore VSTHRD002
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
            yield break;
        }

        yield return DefaultPath;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return Path.Combine(folder, "bwrap");
    }
}
