using System.Diagnostics;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Finds a bubblewrap executable that actually works here (user namespaces may be turned off).</summary>
public static class BubblewrapLocator
{
    public const string DefaultPath = "/usr/bin/bwrap";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Whether bubblewrap is installed and can start an isolated process.</summary>
    public static bool IsBubblewrapAvailable() => Find(null) is not null;

    /// <summary>The configured executable, else <c>/usr/bin/bwrap</c>, else <c>bwrap</c> on PATH, if it works; otherwise null.</summary>
    public static string? Find(string? configured) =>
        Candidates(configured).FirstOrDefault(path => File.Exists(path) && Works(path, out _));

    /// <summary>Starts a trivial command inside bubblewrap; false (with bubblewrap's complaint) when that fails.</summary>
    public static bool Works(string path, out string problem)
    {
        var start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--unshare-pid", "--die-with-parent", "--", "/bin/sh", "-c", ":"])
            start.ArgumentList.Add(argument);
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
