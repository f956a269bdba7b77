using System.Collections.Concurrent;
using System.Text;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// An in-memory sandbox provider for grain tests: keeps sandboxes, files and commands, records its creates, starts
/// and deletes (<see cref="SandboxCall"/>), lets the test finish a command with an exit code and a result file, and
/// injects failures scoped to one issue or sandbox, so that tests sharing the fake do not meet each other's faults.
/// A command's follow hands on each line of its output as it is added and returns when the command exits or its
/// sandbox is deleted, as a provider's log stream does.
/// </summary>
public sealed class FakeSandboxProvider : ISandboxProvider
{
    private readonly ConcurrentDictionary<string, FakeSandbox> _sandboxes = new();
    private readonly ConcurrentQueue<SandboxCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _deleteFailures = new();
    private readonly ConcurrentDictionary<string, int> _createFailures = new();
    private readonly ConcurrentDictionary<string, int> _capacityFailures = new();

    public IReadOnlyCollection<SandboxCall> Calls => _calls;

    /// <summary>Creates asked for the issue's runs, failed ones included.</summary>
    public int CreatesFor(IssueKey issue) => _calls.Count(c => c.Kind == SandboxCallKind.Create && c.Issue == issue.ToString());

    /// <summary>Deletes of the sandbox, failed ones included.</summary>
    public int DeletesOf(string sandboxId) => _calls.Count(c => c.Kind == SandboxCallKind.Delete && c.SandboxId == sandboxId);

    public IEnumerable<FakeSandbox> Live => _sandboxes.Values.Where(s => !s.Deleted);

    public FakeSandbox? Find(string id) => _sandboxes.GetValueOrDefault(id);

    public FakeSandbox? ForRun(string runId) => _sandboxes.Values.FirstOrDefault(s => s.Labels.GetValueOrDefault(SandboxLabels.Run) == runId);

    /// <summary>The next <paramref name="count"/> deletes of the sandbox throw, as a failing backend would.</summary>
    public void FailNextDeletes(string sandboxId, int count) => _deleteFailures[sandboxId] = count;

    /// <summary>The next <paramref name="count"/> creates for the issue's runs throw, as a failing backend would.</summary>
    public void FailNextCreates(IssueKey issue, int count) => _createFailures[issue.ToString()] = count;

    /// <summary>The next <paramref name="count"/> creates for the issue's runs answer that there is no capacity, as an exhausted quota does.</summary>
    public void NoCapacityForNextCreates(IssueKey issue, int count) => _capacityFailures[issue.ToString()] = count;

    public Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        var call = SandboxCall.Create(spec);
        _calls.Enqueue(call);
        if (TakeFault(_createFailures, call.Issue)) throw new SandboxException("injected create failure");
        if (TakeFault(_capacityFailures, call.Issue)) throw new SandboxCapacityException("Total CPU limit exceeded. Maximum allowed: 10.");
        var sandbox = _sandboxes.GetOrAdd("sbx-" + spec.Name, id => new FakeSandbox(id, spec));
        return Task.FromResult(new SandboxInfo(sandbox.Id, spec.Name, spec.Labels));
    }

    public Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new ExecResult(0, "", false));

    public Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken)
    {
        _calls.Enqueue(SandboxCall.StartCommand(sandboxId, command));
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
        command.StatusRead();
        var status = command.ExitCode is { } code
            ? new CommandStatus(CommandPhase.Exited, code, command.Output.Lines(tailLines))
            : new CommandStatus(CommandPhase.Running, null, command.Output.Lines(tailLines));
        return Task.FromResult(status with { LimitExceeded = sandbox.LimitExceeded, BlockedHosts = [.. sandbox.BlockedHosts] });
    }

    /// <summary>A command the fake does not know (or whose sandbox is gone) is lost: the follow returns at once.</summary>
    public Task FollowCommandAsync(string sandboxId, string commandId, Action<string> onLine, CancellationToken cancellationToken) =>
        _sandboxes.TryGetValue(sandboxId, out var sandbox) && !sandbox.Deleted && sandbox.Commands.TryGetValue(commandId, out var command)
            ? command.FollowAsync(onLine, sandbox.Gone, cancellationToken)
            : Task.CompletedTask;

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
        _calls.Enqueue(SandboxCall.Delete(sandboxId));
        if (TakeFault(_deleteFailures, sandboxId)) throw new SandboxException("injected delete failure");
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

    /// <summary>Takes one fault from the scope's budget, if it has any left.</summary>
    private static bool TakeFault(ConcurrentDictionary<string, int> budgets, string? scope)
    {
        while (scope is not null && budgets.TryGetValue(scope, out var left) && left > 0)
        {
            if (budgets.TryUpdate(scope, left - 1, left)) return true;
        }

        return false;
    }

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

    private readonly CancellationTokenSource _gone = new();
    private bool _deleted;

    public bool Deleted
    {
        get => Volatile.Read(ref _deleted);
        set
        {
            Volatile.Write(ref _deleted, value);
            if (value) _gone.Cancel();
        }
    }

    /// <summary>Signalled when the sandbox is deleted: its commands' follows end with it.</summary>
    public CancellationToken Gone => _gone.Token;

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
