using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Sandboxes on this machine: a private folder each, commands as background process groups with only the sandbox's
/// environment, inside bubblewrap when isolation is on. A command's exit code is written by a small wrapper next to
/// its log, so its status outlives the process that started it. <see cref="TimeProvider"/> stamps creation times only;
/// time-outs and waits for processes to end are real time, because the processes are real.
/// </summary>
public sealed partial class LocalSandboxProvider : ISandboxProvider
{
    private readonly string _root;
    private readonly CommandLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalSandboxProvider> _logger;
    private readonly ConcurrentDictionary<(string Sandbox, string Command), Process> _running = new();

    public LocalSandboxProvider(IOptions<LocalSandboxOptions> options, TimeProvider time, ILogger<LocalSandboxProvider> logger)
    {
        _root = Path.GetFullPath(options.Value.Root);
        _time = time;
        _logger = logger;
        var bubblewrap = LocalIsolation.Resolve(options.Value);
        _launcher = new CommandLauncher(options.Value, bubblewrap);
        Directory.CreateDirectory(_root);
        if (bubblewrap is null) LogUnisolated(_root);
        else LogIsolated(_root, bubblewrap);
    }

    /// <summary>True when commands run inside bubblewrap; false means they run with the service's rights.</summary>
    public bool IsIsolated => _launcher.IsIsolated;

    public Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var sandbox = new LocalSandbox(_root, SandboxId.FromName(spec.Name));
        if (sandbox.Exists)
        {
            var existing = sandbox.Info();
            return existing.Name == spec.Name
                ? Task.FromResult(existing)
                : throw new SandboxException($"Sandbox names '{spec.Name}' and '{existing.Name}' both map to id {sandbox.Id}.");
        }

        sandbox.Create(spec, _time.GetUtcNow());
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
            // Processes inside bubblewrap die with their namespace a moment after the wrapper: wait for that too.
            for (var round = 0; round < 100 && HostProcess.All().Any(p => p.Group == process.Id); round++)
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
        var commandId = CommandId.New();
        var process = await LaunchAsync(sandbox, commandId, command, cancellationToken);
        var key = (sandbox.Id, commandId);
        _running[key] = process;
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
            return new CommandStatus(CommandPhase.Exited, exitCode, await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken));
        var tail = await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken);
        if (ProcessGroup.IsAlive(group)) return new CommandStatus(CommandPhase.Running, null, tail);

        // The wrapper writes the exit code just before it ends: look again before calling the command lost.
        return sandbox.ExitCode(commandId) is { } late
            ? new CommandStatus(CommandPhase.Exited, late, await LogTail.ReadAsync(sandbox.LogFile(commandId), tailLines, cancellationToken))
            : new CommandStatus(CommandPhase.Lost, null, tail);
    }

    public async Task UploadAsync(string sandboxId, string path, Stream content, CancellationToken cancellationToken)
    {
        var file = SandboxPaths.Resolve(Require(sandboxId).Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var target = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None);
        await content.CopyToAsync(target, cancellationToken);
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
        foreach (var key in _running.Keys.Where(k => k.Sandbox == sandbox.Id))
        {
            if (!_running.TryRemove(key, out var process)) continue;
            KillTree(process);
            process.Dispose();
        }

        if (!Directory.Exists(sandbox.Directory)) return true;
        var stopped = await SandboxProcesses.KillAllAsync(sandbox, cancellationToken);
        var removed = DirectoryRemover.TryRemove(sandbox.Directory);
        if (stopped && removed) LogDeleted(sandbox.Id);
        else LogDeleteIncomplete(sandbox.Id, stopped, removed);
        return removed;
    }

    public Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        IReadOnlyList<SandboxInfo> found = !Directory.Exists(_root) ? [] : [.. Directory.EnumerateDirectories(_root)
            .Select(Path.GetFileName)
            .Where(SandboxId.IsValid)
            .Select(id => new LocalSandbox(_root, id!))
            .Where(s => s.Exists)
            .Select(s => s.Info())
            .Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))];
        return Task.FromResult(found);
    }

    private async Task<Process> LaunchAsync(LocalSandbox sandbox, string commandId, string command, CancellationToken cancellationToken)
    {
        var process = await _launcher.StartAsync(sandbox, commandId, command, cancellationToken);
        sandbox.RecordGroup(commandId, process.Id);
        LogStarted(sandbox.Id, commandId, process.Id);
        return process;
    }

    private void Forget((string Sandbox, string Command) key)
    {
        if (_running.TryRemove(key, out var process)) process.Dispose();
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
}
