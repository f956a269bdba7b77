using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Sandboxes on this machine: a private directory each, commands as child processes in their own process group with
/// only the sandbox's environment, inside bubblewrap when it is installed. A command's exit code is written by a small
/// wrapper next to its log, so its status outlives the process that started it.
/// </summary>
public sealed partial class LocalSandboxProvider : ISandboxProvider
{
    private const string WrapperScript = "log=$1; exit_file=$2; shift 2; \"$@\" >\"$log\" 2>&1; echo $? >\"$exit_file.tmp\"; mv \"$exit_file.tmp\" \"$exit_file\"";
    private static readonly Dictionary<string, string> BaseEnvironment = new()
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LANG"] = "C.UTF-8",
    };

    private readonly LocalSandboxOptions _options;
    private readonly string _root;
    private readonly ILogger<LocalSandboxProvider> _logger;
    private readonly ConcurrentDictionary<string, Process> _processes = new();

    public LocalSandboxProvider(IOptions<LocalSandboxOptions> options, ILogger<LocalSandboxProvider> logger)
    {
        _options = options.Value;
        _root = Path.GetFullPath(_options.Root);
        _logger = logger;
        IsIsolated = Bubblewrap.Resolve(_options.Isolation);
        Directory.CreateDirectory(_root);
        if (!IsIsolated) LogUnisolated(logger, _root);
    }

    /// <summary>True when commands run inside bubblewrap; false means they run with the service's rights.</summary>
    public bool IsIsolated { get; }

    public Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var sandbox = new LocalSandbox(_root, IdFor(spec.Name));
        if (!sandbox.Exists) sandbox.Create(spec);
        return Task.FromResult(sandbox.Describe());
    }

    public async Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sandbox = Require(sandboxId);
        var commandId = await StartCommandAsync(sandboxId, command, cancellationToken);
        var process = _processes[Key(sandboxId, commandId)];
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
            ProcessGroup.KillAll(process.Id);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        var output = await File.ReadAllTextAsync(sandbox.LogFile(commandId), CancellationToken.None);
        var exitCode = ReadExitCode(sandbox, commandId) ?? -1;
        return new ExecResult(timedOut ? -1 : exitCode, output, timedOut);
    }

    public async Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken)
    {
        var sandbox = Require(sandboxId);
        var commandId = "cmd-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = sandbox.Work, UseShellExecute = false };
        foreach (var argument in new[] { "bash", "-c", WrapperScript, "sandbox-command", sandbox.LogFile(commandId), sandbox.ExitFile(commandId) })
            start.ArgumentList.Add(argument);
        foreach (var argument in IsIsolated ? Bubblewrap.Arguments(sandbox.Work, _options, command) : ["bash", "-c", command])
            start.ArgumentList.Add(argument);

        start.Environment.Clear();
        foreach (var (name, value) in BaseEnvironment) start.Environment[name] = value;
        start.Environment["HOME"] = sandbox.Work;
        foreach (var (name, value) in sandbox.Environment()) start.Environment[name] = value;
        start.RedirectStandardInput = true;

        var process = Process.Start(start) ?? throw new SandboxException($"Could not start a command in sandbox {sandboxId}.");
        process.StandardInput.Close();
        _processes[Key(sandboxId, commandId)] = process;
        await File.WriteAllTextAsync(sandbox.GroupFile(commandId), process.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None);
        LogStarted(_logger, sandboxId, commandId, process.Id);
        return commandId;
    }

    public async Task<CommandStatus> GetCommandAsync(string sandboxId, string commandId, int tailLines, CancellationToken cancellationToken)
    {
        var sandbox = new LocalSandbox(_root, IdFor(sandboxId));
        if (!sandbox.Exists || !File.Exists(sandbox.GroupFile(commandId))) return new CommandStatus(CommandPhase.Lost, null, []);

        var tail = await TailAsync(sandbox.LogFile(commandId), tailLines, cancellationToken);
        if (ReadExitCode(sandbox, commandId) is { } exitCode) return new CommandStatus(CommandPhase.Exited, exitCode, tail);
        if (IsRunning(sandbox, commandId)) return new CommandStatus(CommandPhase.Running, null, tail);
        return ReadExitCode(sandbox, commandId) is { } late
            ? new CommandStatus(CommandPhase.Exited, late, tail)
            : new CommandStatus(CommandPhase.Lost, null, tail);
    }

    public async Task UploadAsync(string sandboxId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var file = SandboxPaths.Resolve(Require(sandboxId).Work, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, content, cancellationToken);
    }

    public async Task<byte[]?> DownloadAsync(string sandboxId, string path, CancellationToken cancellationToken)
    {
        var file = SandboxPaths.Resolve(Require(sandboxId).Work, path);
        return File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken) : null;
    }

    public Task<bool> DeleteAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var sandbox = new LocalSandbox(_root, IdFor(sandboxId));
        foreach (var group in sandbox.ProcessGroups()) ProcessGroup.KillAll(group);
        foreach (var key in _processes.Keys.Where(k => k.StartsWith(sandbox.Id + "/", StringComparison.Ordinal)))
        {
            if (!_processes.TryRemove(key, out var process)) continue;
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended between the check and the kill.
            }

            process.Dispose();
        }

        if (Directory.Exists(sandbox.Directory)) Directory.Delete(sandbox.Directory, recursive: true);
        LogDeleted(_logger, sandbox.Id);
        return Task.FromResult(!Directory.Exists(sandbox.Directory));
    }

    public Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var found = Directory.EnumerateDirectories(_root)
            .Select(d => new LocalSandbox(_root, Path.GetFileName(d)))
            .Where(s => s.Exists)
            .Select(s => s.Describe())
            .Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        return Task.FromResult<IReadOnlyList<SandboxInfo>>(found);
    }

    /// <summary>A sandbox's id is its name made safe as a folder name, so a repeated create finds the same folder.</summary>
    public static string IdFor(string name)
    {
        var safe = new StringBuilder();
        foreach (var c in name.ToLowerInvariant()) safe.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-');
        var id = safe.ToString().Trim('-');
        if (id.Length == 0) throw new ArgumentException($"'{name}' cannot name a sandbox.", nameof(name));
        return id.Length <= 100 ? id : id[..100];
    }

    private bool IsRunning(LocalSandbox sandbox, string commandId)
    {
        if (_processes.TryGetValue(Key(sandbox.Id, commandId), out var process)) return !process.HasExited;
        return int.TryParse(File.ReadAllText(sandbox.GroupFile(commandId)), out var group) && ProcessGroup.IsAlive(group);
    }

    private static int? ReadExitCode(LocalSandbox sandbox, string commandId) =>
        File.Exists(sandbox.ExitFile(commandId)) && int.TryParse(File.ReadAllText(sandbox.ExitFile(commandId)).Trim(), out var code) ? code : null;

    private static async Task<IReadOnlyList<string>> TailAsync(string logFile, int lines, CancellationToken cancellationToken)
    {
        if (lines <= 0 || !File.Exists(logFile)) return [];
        await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        const int window = 64 * 1024;
        if (stream.Length > window) stream.Seek(-window, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var all = text.Split('\n');
        var kept = all.Length > 0 && all[^1].Length == 0 ? all[..^1] : all;
        return kept.Length <= lines ? kept : kept[^lines..];
    }

    private LocalSandbox Require(string sandboxId)
    {
        var sandbox = new LocalSandbox(_root, IdFor(sandboxId));
        return sandbox.Exists ? sandbox : throw new SandboxException($"There is no sandbox {sandboxId}.");
    }

    private static string Key(string sandboxId, string commandId) => $"{IdFor(sandboxId)}/{commandId}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local sandboxes under {Root} are NOT isolated (bubblewrap is not installed or is turned off): agents run with this service's rights. Fit only for trusted use.")]
    private static partial void LogUnisolated(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: command {CommandId} started as process group {ProcessGroup}")]
    private static partial void LogStarted(ILogger logger, string sandboxId, string commandId, int processGroup);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox {SandboxId} deleted")]
    private static partial void LogDeleted(ILogger logger, string sandboxId);
}
