using System.Diagnostics;
using System.Globalization;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Starts a sandbox command as a background process: <c>setsid</c> gives it its own session and process group, a tiny
/// outer wrapper (the service's, outside the sandbox) appends its output to the log and writes its exit code
/// atomically when it ends, so the status outlives the service. Before the command starts, a subshell of the wrapper
/// joins the sandbox's cgroup and sets its rlimits; then, when isolated, the command runs inside bubblewrap as the
/// sandbox's own host user, with only the sandbox's environment.
/// </summary>
internal sealed class CommandLauncher(LocalSandboxOptions options, string? bubblewrap, SandboxNetwork network)
{
    // It prints its pid once setsid has made it a group leader, then lets go of the service's pipe.
    private const string Wrapper =
        "echo $$; exec </dev/null >/dev/null 2>&1; log=$1; exit_file=$2; setup=$3; shift 3; " +
        "( eval \"$setup\" && exec \"$@\" ) >>\"$log\" 2>&1; code=$?; echo \"$code\" >\"$exit_file.tmp\" && mv -f \"$exit_file.tmp\" \"$exit_file\"";

    /// <summary>The <c>PATH</c> every sandbox command gets unless the sandbox's environment names another.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly KeyValuePair<string, string>[] BaseEnvironment =
    [
        new("PATH", DefaultPath),
        new("LANG", "C.UTF-8"),
    ];

    /// <summary>Every process of a command inherits its id in this variable, so that all of them can be found again.</summary>
    public const string CommandVariable = "SANDBOX_COMMAND_ID";

    /// <summary>
    /// Set to 1 for isolated commands: every process of the command lives in a PID namespace of its own that ends with
    /// it, so the runner may end any process in it it did not start (see run.sh).
    /// </summary>
    public const string OwnPidNamespaceVariable = "SANDBOX_OWN_PID_NAMESPACE";

    public bool IsIsolated => bubblewrap is not null;

    /// <summary>
    /// The started wrapper, returned once it leads its own session and process group (whose id is its process id):
    /// before that, the group could not be signalled or watched.
    /// </summary>
    public async Task<Process> StartAsync(LocalSandbox sandbox, string commandId, string command, CancellationToken cancellationToken)
    {
        var description = sandbox.Describe();
        var start = new ProcessStartInfo("/usr/bin/setsid") { WorkingDirectory = sandbox.Work, UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in (string[])["/bin/bash", "-c", Wrapper, "sandbox-command", sandbox.LogFile(commandId), sandbox.ExitFile(commandId), Setup(description)])
            start.ArgumentList.Add(argument);
        foreach (var argument in Command(sandbox, description.User, command)) start.ArgumentList.Add(argument);

        start.Environment.Clear();
        foreach (var (name, value) in BaseEnvironment) start.Environment[name] = value;
        start.Environment["HOME"] = IsIsolated ? BubblewrapArguments.Workspace : sandbox.Work;
        if (IsIsolated) foreach (var (name, value) in network.Environment()) start.Environment[name] = value;
        foreach (var (name, value) in sandbox.Environment()) start.Environment[name] = value;
        start.Environment[CommandVariable] = commandId;
        if (IsIsolated) start.Environment[OwnPidNamespaceVariable] = "1";

        var process = Process.Start(start) ?? throw new SandboxException($"Could not start a command in sandbox {sandbox.Id}.");
        var ready = await process.StandardOutput.ReadLineAsync(cancellationToken);
        if (ready != process.Id.ToString(CultureInfo.InvariantCulture))
        {
            process.Dispose();
            throw new SandboxException($"The command wrapper in sandbox {sandbox.Id} did not start (it said '{ready}').");
        }

        return process;
    }

    private IEnumerable<string> Command(LocalSandbox sandbox, SandboxUser? user, string command)
    {
        if (bubblewrap is null) return ["/bin/bash", "-c", command];
        var arguments = BubblewrapArguments.For(bubblewrap, sandbox, options, network, command);
        return user is null ? arguments : [.. SwitchUser(user), .. arguments];
    }

    /// <summary>setpriv (util-linux) drops root for the sandbox's own user: no groups, no capabilities, no new privileges.</summary>
    private static string[] SwitchUser(SandboxUser user) =>
    [
        "/usr/bin/setpriv",
        "--reuid=" + user.Uid.ToString(CultureInfo.InvariantCulture),
        "--regid=" + user.Gid.ToString(CultureInfo.InvariantCulture),
        "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--",
    ];

    /// <summary>
    /// What the wrapper's subshell does before it execs the command: join the cgroup, cap file sizes, and without
    /// cgroups bound processes (per sandbox user), data size and CPU priority with rlimits and nice.
    /// </summary>
    private string Setup(SandboxDescription description)
    {
        var limits = options.Limits;
        var lines = new List<string> { $"ulimit -f {limits.DiskBytes / 1024}" };
        if (description.Cgroups is { Count: > 0 } cgroups)
        {
            lines.Insert(0, Cgroups.SandboxCgroup.JoinCommand(cgroups));
            return string.Join(" && ", lines);
        }

        if (description.User is not null) lines.Add($"ulimit -u {limits.Processes}");
        lines.Add($"ulimit -d {limits.MemoryBytes / 1024}");
        lines.Add("renice -n 10 -p $BASHPID >/dev/null");
        return string.Join(" && ", lines);
    }
}
