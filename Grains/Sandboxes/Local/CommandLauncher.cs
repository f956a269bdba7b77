using System.Diagnostics;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Starts a sandbox command as a background process: <c>setsid</c> gives it its own session and process group, a tiny
/// outer wrapper appends its output to the log and writes its exit code atomically when it ends (so the status
/// outlives the service), and the command sees only the sandbox's environment, inside bubblewrap when isolated.
/// </summary>
internal sealed class CommandLauncher(LocalSandboxOptions options, string? bubblewrap)
{
    // It prints its pid once setsid has made it a group leader, then lets go of the service's pipe.
    private const string Wrapper =
        "echo $$; exec </dev/null >/dev/null 2>&1; log=$1; exit_file=$2; shift 2; " +
        "\"$@\" >>\"$log\" 2>&1; code=$?; echo \"$code\" >\"$exit_file.tmp\" && mv -f \"$exit_file.tmp\" \"$exit_file\"";

    private static readonly KeyValuePair<string, string>[] BaseEnvironment =
    [
        new("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        new("LANG", "C.UTF-8"),
    ];

    public bool IsIsolated => bubblewrap is not null;

    /// <summary>
    /// The started wrapper, returned once it leads its own session and process group (whose id is its process id):
    /// before that, the group could not be signalled or watched.
    /// </summary>
    public async Task<Process> StartAsync(LocalSandbox sandbox, string commandId, string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/usr/bin/setsid") { WorkingDirectory = sandbox.Work, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["/bin/bash", "-c", Wrapper, "sandbox-command", sandbox.LogFile(commandId), sandbox.ExitFile(commandId)])
            start.ArgumentList.Add(argument);
        foreach (var argument in bubblewrap is null ? ["/bin/bash", "-c", command] : BubblewrapArguments.For(bubblewrap, sandbox.Work, options, command))
            start.ArgumentList.Add(argument);

        start.Environment.Clear();
        foreach (var (name, value) in BaseEnvironment) start.Environment[name] = value;
        start.Environment["HOME"] = sandbox.Work;
        foreach (var (name, value) in sandbox.Environment()) start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new SandboxException($"Could not start a command in sandbox {sandbox.Id}.");
        var ready = await process.StandardOutput.ReadLineAsync(cancellationToken);
        if (ready != process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            process.Dispose();
            throw new SandboxException($"The command wrapper in sandbox {sandbox.Id} did not start (it said '{ready}').");
        }

        return process;
    }
}
