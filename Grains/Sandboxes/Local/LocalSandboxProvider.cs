using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Egress;
using SandboxAgents.Sandboxes.Local.Cgroups;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Sandboxes on this machine: a private folder each, commands as background process groups with only the sandbox's
/// environment, inside bubblewrap unless isolation is explicitly turned off, bounded by a cgroup (or rlimits), and
/// reaching the network only through the egress proxy (unless configured otherwise). When the service runs as root
/// each sandbox has its own host user. A command's exit code is written by a small wrapper next to its log, so its
/// status outlives the process that started it. <see cref="TimeProvider"/> stamps creation times only; time-outs and
/// waits for processes to end are real time, because the processes are real.
/// </summary>
public sealed partial class LocalSandboxProvider : ISandboxProvider
{
    private readonly string _root;
    private readonly LocalSandboxOptions _options;
    private readonly CommandLauncher _launcher;
    private readonly SandboxNetwork _network;
    private readonly EgressProxy _egress;
    private readonly CgroupHost _cgroups;
    private readonly SandboxUsers? _users;
    private readonly DiskUsage _disk;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalSandboxProvider> _logger;
    private readonly ConcurrentDictionary<(string Sandbox, string Command), RunningCommand> _running = new();
    private readonly Lock _creating = new();

    public LocalSandboxProvider(
        IOptions<LocalSandboxOptions> options,
        IOptions<NetworkOptions> network,
        EgressProxy egress,
        TimeProvider time,
        ILogger<LocalSandboxProvider> logger)
    {
        _options = options.Value;
        if (_options.Limits.Problem() is { } problem) throw new InvalidOperationException(problem);
        _root = Path.GetFullPath(_options.Root);
        _time = time;
        _logger = logger;
        _egress = egress;
        var privileged = Environment.IsPrivilegedProcess;
        var bubblewrap = LocalIsolation.Resolve(_options, privileged ? _options.FirstUid : null);
        _network = bubblewrap is null ? SandboxNetwork.Host : SandboxNetwork.From(network.Value.Mode);
        if (_network.UsesProxy && Socat.Find() is null)
            throw new InvalidOperationException(
                "Sandbox:Network is 'proxy', which needs socat inside the sandboxes to reach the egress proxy: install the 'socat' package, or set Sandbox:Network=none.");
        _launcher = new CommandLauncher(_options, bubblewrap, _network);
        _users = privileged && bubblewrap is not null ? new SandboxUsers(_options.UidRegistry, _options.FirstUid, _options.UidCount) : null;
        _cgroups = privileged ? CgroupHost.Detect() : CgroupHost.Unavailable("the service does not run as root");
        _disk = new DiskUsage(_options.Limits.DiskCheckInterval);

        SandboxRoot.Prepare(_root, _users is not null);
        if (_users is not null)
            foreach (var path in _options.ReadOnlyPaths.Where(Path.Exists)) SandboxRoot.RequireReachable(path, "Sandbox:Local:ReadOnlyPaths");
        if (bubblewrap is null) LogUnisolated(_root);
        else LogIsolated(_root, bubblewrap, _users is null ? "the service's own user" : $"its own host user from uid {_options.FirstUid}", _network.Mode);
        if (_network.SharesHost && bubblewrap is not null) LogHostNetwork();
        var limits = _options.Limits;
        LogLimits(_cgroups.Description, limits.Processes, limits.MemoryMegabytes, limits.Cpus, limits.DiskMegabytes, limits.TmpMegabytes);
    }

    /// <summary>True when commands run inside bubblewrap; false means they run with the service's rights.</summary>
    public bool IsIsolated => _launcher.IsIsolated;

    /// <summary>How the sandboxes reach the network: <c>proxy</c>, <c>none</c> or <c>host</c>.</summary>
    public string NetworkMode => _network.Mode;

    public Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var sandbox = new LocalSandbox(_root, SandboxId.FromName(spec.Name));
        lock (_creating)
        {
            if (sandbox.Exists)
            {
                var existing = sandbox.Info();
                return existing.Name == spec.Name
                    ? Task.FromResult(existing)
                    : throw new SandboxException($"Sandbox names '{spec.Name}' and '{existing.Name}' both map to id {sandbox.Id}.");
            }

            var user = _users?.Allocate(sandbox.Directory);
            try
            {
                var cgroup = _cgroups.For(sandbox.Id);
                cgroup?.Create(_options.Limits);
                sandbox.Create(spec, _time.GetUtcNow(), user, cgroup?.Directories);
            }
            catch
            {
                if (user is not null) _users!.Release(user, sandbox.Directory);
                throw;
            }
        }

        LogCreated(sandbox.Id, spec.Name);
        return Task.FromResult(sandbox.Info());
    }

    public async Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sandbox = Require(sandboxId);
        var commandId = CommandId.New();
        using var process = await LaunchAsync(sandbox, commandId, command, cancellationToken);
        // A real process runs on real time: the deadline is not the service's (possibly fake) clock.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.KillGroup(process.Id);
            await process.WaitForExitAsync(CancellationToken.None);
            // Processes inside bubblewrap (a session of their own) die with their namespace a moment after the
            // wrapper: wait until none carrying the command's id is left.
            for (var round = 0; round < 250 && (HostProcess.All().Any(p => p.Group == process.Id) || HostProcess.AnyWithVariable(CommandLauncher.CommandVariable, commandId)); round++)
            {
                ProcessGroup.KillGroup(process.Id);
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }

            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
            LogTimedOut(sandbox.Id, commandId, timeout);
        }

        var output = await File.ReadAllTextAsync(sandbox.LogFile(commandId), CancellationToken.None);
        return new ExecResult(timedOut ? -1 : sandbox.ExitCode(commandId) ?? -1, output, timedOut);
    }

    public async Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken)
    {
        var sandbox = Require(sandboxId);
        var commandId = CommandId.For(command);
        if (!sandbox.ClaimCommand(commandId)) return commandId;
        var process = await LaunchAsync(sandbox, commandId, command, cancellationToken);
        var key = (sandbox.Id, commandId);
        _running[key] = new RunningCommand(process);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Forget(key);
        if (process.HasExited) Forget(key);
        return commandId;
    }

    public async Task<CommandStatus> GetCommandAsync(string sandboxId, string commandId, int tailLines, CancellationToken cancellationToken)
    {
        if (!SandboxId.IsValid(sandboxId) || !CommandId.IsValid(commandId)) return Lost();
        var sandbox = new LocalSandbox(_root, sandboxId);
        if (!sandbox.Exists || sandbox.Group(commandId) is not { } group) return Lost();

        // The exit code is written after the last output: read it first, so an ended command's tail is complete.
        if (sandbox.ExitCode(commandId) is { } exitCode)
            return Report(sandbox, new CommandStatus(CommandPhase.Exited, exitCode, await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken)));
        var tail = await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken);
        if (ProcessGroup.IsAlive(group))
        {
            // After a restart of the service its sandboxes' proxy sockets are gone: listen again for the live ones.
            OpenEgress(sandbox);
            return Report(sandbox, new CommandStatus(CommandPhase.Running, null, tail));
        }

        // The wrapper writes the exit code just before it ends: look again before calling the command lost.
        return sandbox.ExitCode(commandId) is { } late
            ? Report(sandbox, new CommandStatus(CommandPhase.Exited, late, await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken)))
            : Report(sandbox, new CommandStatus(CommandPhase.Lost, null, tail));
    }

    /// <summary>Follows the command's log file; the wrapper's exit wakes it at once when this service started the command.</summary>
    public async Task FollowCommandAsync(string sandboxId, string commandId, Action<string> onLine, CancellationToken cancellationToken)
    {
        if (!SandboxId.IsValid(sandboxId) || !CommandId.IsValid(commandId)) return;
        var sandbox = new LocalSandbox(_root, sandboxId);
        if (!sandbox.Exists || sandbox.Group(commandId) is not { } group) return;
        var exited = _running.TryGetValue((sandbox.Id, commandId), out var running) ? running.Exited.Task : null;
        await CommandFollow.RunAsync(sandbox, commandId, group, exited, () => LimitReached(sandbox, CommandPhase.Running) is not null, onLine, cancellationToken);
    }

    public async Task UploadAsync(string sandboxId, string path, Stream content, CancellationToken cancellationToken)
    {
        var sandbox = Require(sandboxId);
        var file = SandboxPaths.Resolve(sandbox.Work, path);
        var folder = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(folder);
        var user = sandbox.Describe().User;
        FileOwner.GiveDown(sandbox.Work, folder, user);

        // Written aside and renamed over the old file: a command still reading the old one (bash reads its script as
        // it goes) keeps reading it whole, and nothing planted at the new name is followed.
        var written = Path.Join(folder, $".upload-{Guid.NewGuid():N}");
        try
        {
            await using (var target = new FileStream(written, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                await content.CopyToAsync(target, cancellationToken);
            FileOwner.Give(written, user);
            File.Move(written, file, overwrite: true);
        }
        finally
        {
            File.Delete(written);
        }
    }

    public async Task<bool> DownloadAsync(string sandboxId, string path, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        var file = SandboxPaths.Resolve(Require(sandboxId).Work, path);
        if (!File.Exists(file)) return false;
        await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (source.Length > maxBytes) throw new SandboxFileTooLargeException(path, maxBytes);
        await SandboxFiles.CopyBoundedAsync(source, destination, maxBytes, path, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (!SandboxId.IsValid(sandboxId)) return true;
        var sandbox = new LocalSandbox(_root, sandboxId);
        await _egress.CloseAsync(sandbox.Id);
        foreach (var key in _running.Keys.Where(k => k.Sandbox == sandbox.Id))
        {
            if (!_running.TryRemove(key, out var running)) continue;
            KillTree(running.Process);
            running.Ended();
        }

        if (!Directory.Exists(sandbox.Directory)) return true;
        var description = sandbox.Exists ? sandbox.Describe() : null;
        var cgroup = description?.Cgroups is { Count: > 0 } folders ? SandboxCgroup.From(folders) : null;
        var stopped = await SandboxProcesses.KillAllAsync(sandbox, cgroup, description?.User, cancellationToken);
        var removed = (cgroup?.TryRemove() ?? true) & DirectoryRemover.TryRemove(sandbox.Directory);
        _disk.Forget(sandbox.Id);
        if (stopped && removed)
        {
            if (description?.User is { } user) _users?.Release(user, sandbox.Directory);
            LogDeleted(sandbox.Id);
        }
        else
        {
            LogDeleteIncomplete(sandbox.Id, stopped, removed);
        }

        return stopped && removed;
    }

    public Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        IReadOnlyList<SandboxInfo> found = [.. Existing()
            .Select(s => s.Info())
            .Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))];
        return Task.FromResult(found);
    }

    private IEnumerable<LocalSandbox> Existing() =>
        !Directory.Exists(_root) ? [] : Directory.EnumerateDirectories(_root)
            .Select(Path.GetFileName)
            .Where(SandboxId.IsValid)
            .Select(id => new LocalSandbox(_root, id!))
            .Where(s => s.Exists);

    private async Task<Process> LaunchAsync(LocalSandbox sandbox, string commandId, string command, CancellationToken cancellationToken)
    {
        OpenEgress(sandbox);
        var process = await _launcher.StartAsync(sandbox, commandId, command, cancellationToken);
        sandbox.RecordGroup(commandId, process.Id);
        LogStarted(sandbox.Id, commandId, process.Id);
        return process;
    }

    private void OpenEgress(LocalSandbox sandbox)
    {
        if (!_network.UsesProxy || _egress.IsOpen(sandbox.Id)) return;
        var user = sandbox.Describe().User;
        _egress.Open(sandbox.Id, Path.Join(sandbox.Net, EgressEndpoint.SocketFileName), user?.Uid, user?.Gid);
    }

    /// <summary>Adds what the sandbox ran into: a limit the kernel counted or the disk walk found, the hosts its proxy refused.</summary>
    private CommandStatus Report(LocalSandbox sandbox, CommandStatus status) =>
        status with { LimitExceeded = LimitReached(sandbox, status.Phase), BlockedHosts = _egress.BlockedHosts(sandbox.Id) };

    /// <summary>Which resource limit the sandbox has hit, if any.</summary>
    private string? LimitReached(LocalSandbox sandbox, CommandPhase phase)
    {
        if (!sandbox.Exists) return null;
        var limits = _options.Limits;
        var limit = sandbox.Describe().Cgroups is { Count: > 0 } folders ? SandboxCgroup.From(folders).LimitReached(limits) : null;
        if (limit is null && phase == CommandPhase.Running && _disk.Exceeds(sandbox.Id, sandbox.Work, limits.DiskBytes) is { } used)
            limit = $"The sandbox's files grew to {used / (1024 * 1024)} MB, over its limit of {limits.DiskMegabytes} MB.";
        return limit;
    }

    private void Forget((string Sandbox, string Command) key)
    {
        if (_running.TryRemove(key, out var running)) running.Ended();
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // It ended on its own meanwhile.
        }
    }

    private LocalSandbox Require(string sandboxId)
    {
        var sandbox = SandboxId.IsValid(sandboxId) ? new LocalSandbox(_root, sandboxId) : null;
        return sandbox is { Exists: true } ? sandbox : throw new SandboxException($"There is no sandbox {sandboxId}.");
    }

    private static CommandStatus Lost() => new(CommandPhase.Lost, null, []);

    /// <summary>A command this service started, and a task that completes once its wrapper has ended (for followers).</summary>
    private sealed class RunningCommand(Process process)
    {
        public Process Process => process;

        public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Ended()
        {
            Exited.TrySetResult();
            process.Dispose();
        }
    }
}
