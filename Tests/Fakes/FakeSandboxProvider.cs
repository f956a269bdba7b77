using System.Collections.Concurrent;
using System.Text;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// An in-memory sandbox provider for grain tests: keeps sandboxes, files and commands, records every call, lets the
/// test finish a command with an exit code and a result file, and injects failures.
/// </summary>
public sealed class FakeSandboxProvider : ISandboxProvider
{
    private readonly ConcurrentDictionary<string, FakeSandbox> _sandboxes = new();
    private readonly ConcurrentQueue<string> _calls = new();
    private int _deleteFailures;
    private int _createFailures;
    private int _capacityFailures;

    public IReadOnlyCollection<string> Calls => _calls;

    public IEnumerable<FakeSandbox> Live => _sandboxes.Values.Where(s => !s.Deleted);

    public FakeSandbox? Find(string id) => _sandboxes.GetValueOrDefault(id);

    public FakeSandbox? ForRun(string runId) => _sandboxes.Values.FirstOrDefault(s => s.Labels[SandboxLabels.Run] == runId);

    /// <summary>The next <paramref name="count"/> deletes throw, as a failing backend would.</summary>
    public void FailNextDeletes(int count) => Interlocked.Exchange(ref _deleteFailures, count);

    public void FailNextCreates(int count) => Interlocked.Exchange(ref _createFailures, count);

    /// <summary>The next <paramref name="count"/> creates answer that there is no capacity, as an exhausted quota does.</summary>
    public void NoCapacityForNextCreates(int count) => Interlocked.Exchange(ref _capacityFailures, count);

    public Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"create {spec.Name}");
        if (Interlocked.Decrement(ref _createFailures) >= 0) throw new SandboxException("injected create failure");
        if (Interlocked.Decrement(ref _capacityFailures) >= 0) throw new SandboxCapacityException("Total CPU limit exceeded. Maximum allowed: 10.");
        var sandbox = _sandboxes.GetOrAdd("sbx-" + spec.Name, id => new FakeSandbox(id, spec));
        return Task.FromResult(new SandboxInfo(sandbox.Id, spec.Name, spec.Labels));
    }

    public Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new ExecResult(0, "", false));

    public Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"start {sandboxId} {command}");
        var sandbox = Require(sandboxId);
        if (sandbox.Commands.FirstOrDefault(c => c.Value.Text == command) is { Key: { } started }) return Task.FromResult(started);
        var id = $"cmd-{sandbox.Commands.Count + 1}";
        sandbox.Commands[id] = new FakeCommand(command);
        return Task.FromResult(id);
    }

    public Task<CommandStatus> GetCommandAsync(string sandboxId, string commandId, int tailLines, CancellationToken cancellationToken)
    {
        if (!_sandboxes.TryGetValue(sandboxId, out var sandbox) || sandbox.Deleted || !sandbox.Commands.TryGetValue(commandId, out var command))
            return Task.FromResult(new CommandStatus(CommandPhase.Lost, null, []));
        var status = command.ExitCode is { } code
            ? new CommandStatus(CommandPhase.Exited, code, command.Output)
            : new CommandStatus(CommandPhase.Running, null, command.Output);
        return Task.FromResult(status with { LimitExceeded = sandbox.LimitExceeded, BlockedHosts = [.. sandbox.BlockedHosts] });
    }

    public async Task UploadAsync(string sandboxId, string path, Stream content, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        Require(sandboxId).Files[path] = copy.ToArray();
    }

    public async Task<bool> DownloadAsync(string sandboxId, string path, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        if (!Require(sandboxId).Files.TryGetValue(path, out var bytes)) return false;
        if (bytes.Length > maxBytes) throw new SandboxFileTooLargeException(path, maxBytes);
        await destination.WriteAsync(bytes, cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string sandboxId, CancellationToken cancellationToken)
    {
        _calls.Enqueue($"delete {sandboxId}");
        if (Interlocked.Decrement(ref _deleteFailures) >= 0) throw new SandboxException("injected delete failure");
        if (!_sandboxes.TryGetValue(sandboxId, out var sandbox)) return true;
        sandbox.DeleteRequested.TrySetResult();
        if (sandbox.DeleteHeldUntil is { } held) await held.WaitAsync(cancellationToken);
        sandbox.Deleted = true;
        return true;
    }

    public Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SandboxInfo>>([.. Live
            .Where(s => labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Select(s => new SandboxInfo(s.Id, s.Spec.Name, s.Labels))]);

    private FakeSandbox Require(string id) =>
        _sandboxes.TryGetValue(id, out var sandbox) && !sandbox.Deleted ? sandbox : throw new SandboxException($"no sandbox {id}");
}

public sealed class FakeSandbox(string id, SandboxSpec spec)
{
    public string Id => id;
    public SandboxSpec Spec => spec;
    public IReadOnlyDictionary<string, string> Labels => spec.Labels;
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();
    public ConcurrentDictionary<string, FakeCommand> Commands { get; } = new();

    /// <summary>What the sandbox reports having run into, as a real provider's cgroup or egress proxy would.</summary>
    public string? LimitExceeded { get; set; }

    public ConcurrentQueue<string> BlockedHosts { get; } = new();

    /// <summary>While set, a delete of this sandbox takes until the task completes (a provider slow to delete).</summary>
    public Task? DeleteHeldUntil { get; set; }

    public TaskCompletionSource DeleteRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool _deleted;
    public bool Deleted { get => Volatile.Read(ref _deleted); set => Volatile.Write(ref _deleted, value); }

    public string? ReadFile(string path) => Files.TryGetValue(path, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>
    /// Ends the runner as the real script would: a bundle of its commits when it reports some, a result file, then the
    /// exit code. The bundle's bytes are only carried to the fake mirror, which records them.
    /// </summary>
    public void FinishRunner(string? resultJson, int exitCode = 0)
    {
        if (resultJson?.Contains("\"outcome\":\"committed\"", StringComparison.Ordinal) == true)
            Files[RunnerFiles.ChangesBundle] = Encoding.UTF8.GetBytes($"bundle of {Id}");
        if (resultJson is not null) Files[RunnerFiles.Result] = Encoding.UTF8.GetBytes(resultJson);
        foreach (var command in Commands.Values) command.ExitCode ??= exitCode;
    }
}

public sealed class FakeCommand(string text)
{
    public string Text => text;
    public List<string> Output { get; } = [];
    public int? ExitCode { get; set; }
}
