using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using SandboxAgents.Sandboxes;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// What every <see cref="ISandboxProvider"/> must do, written against the port alone so that each adapter (local,
/// local under bubblewrap, Daytona) runs the same suite. Each test makes its own sandboxes and deletes them after.
/// </summary>
public abstract class SandboxProviderContractTests : IAsyncLifetime
{
    protected static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);
    private readonly List<string> _created = [];
    private ISandboxProvider? _provider;

    protected ISandboxProvider Provider => _provider ??= CreateProvider();

    /// <summary>
    /// Whether a command killed at its time-out still reports what it printed. Daytona answers a time-out with 408 and
    /// no output (API.md §4.1), so its adapter cannot.
    /// </summary>
    protected virtual bool KeepsOutputOfTimedOutCommands => true;

    /// <summary>Whether this test process can see the sandbox's processes in its own <c>/proc</c>.</summary>
    protected virtual bool SeesSandboxProcesses => true;

    protected abstract ISandboxProvider CreateProvider();

    /// <summary>Checks, beyond the port, that nothing of the sandbox is left where the provider keeps it.</summary>
    protected virtual void AssertNothingLeftOf(SandboxInfo sandbox)
    {
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var id in _created) await Provider.DeleteAsync(id, CancellationToken.None);
    }

    [Fact]
    public async Task Create_SameNameTwice_ReturnsTheSameSandbox()
    {
        var name = NewName();
        var labels = new Dictionary<string, string> { ["contract.run"] = name };

        var first = await CreateAsync(name, labels);
        var second = await CreateAsync(name, labels);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(name, second.Name);
        Assert.Single(await Provider.ListAsync(labels, CancellationToken.None));
    }

    [Fact]
    public async Task Create_WithLabels_LabelsRoundTripAndListMatchesAllPairs()
    {
        var run = NewName();
        var first = await CreateAsync(labels: new Dictionary<string, string> { ["contract.run"] = run, ["contract.issue"] = "1" });
        var second = await CreateAsync(labels: new Dictionary<string, string> { ["contract.run"] = run, ["contract.issue"] = "2" });

        var both = await Provider.ListAsync(new Dictionary<string, string> { ["contract.run"] = run }, CancellationToken.None);
        var one = await Provider.ListAsync(new Dictionary<string, string> { ["contract.run"] = run, ["contract.issue"] = "1" }, CancellationToken.None);
        var none = await Provider.ListAsync(new Dictionary<string, string> { ["contract.run"] = run, ["contract.issue"] = "3" }, CancellationToken.None);

        Assert.Equal(new[] { first.Id, second.Id }.Order(), both.Select(s => s.Id).Order());
        var found = Assert.Single(one);
        Assert.Equal(first.Id, found.Id);
        Assert.Equal(first.Name, found.Name);
        Assert.Equal(new Dictionary<string, string> { ["contract.run"] = run, ["contract.issue"] = "1" }, found.Labels);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Execute_Command_ReturnsExitCodeAndCombinedOutput()
    {
        var sandbox = await CreateAsync();

        var result = await Provider.ExecuteAsync(sandbox.Id, "echo to-out; echo to-err >&2; exit 7", CommandTimeout, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Contains("to-out", result.Output, StringComparison.Ordinal);
        Assert.Contains("to-err", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_PastItsTimeout_KillsTheCommandAndReportsTimedOut()
    {
        var sandbox = await CreateAsync();
        var marker = ProcessTable.UniqueSleep();
        var clock = Stopwatch.StartNew();

        var result = await Provider.ExecuteAsync(sandbox.Id, $"echo started; sleep {marker}; echo finished", TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        if (KeepsOutputOfTimedOutCommands) Assert.Contains("started", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("finished", result.Output, StringComparison.Ordinal);
        if (SeesSandboxProcesses) Assert.Equal(0, ProcessTable.CountSleeping(marker));
    }

    [Fact]
    public async Task StartCommand_Background_IsRunningThenExitedWithCodeAndLogTail()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "echo one; echo two; while [ ! -e go ]; do sleep 0.05; done; echo three; exit 3", CancellationToken.None);

        var running = await WaitForAsync(sandbox.Id, commandId, s => s.LogTail.Contains("two"), "the command to print two");
        Assert.Equal(CommandPhase.Running, running.Phase);
        Assert.Null(running.ExitCode);

        await Provider.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        var exited = await WaitForAsync(sandbox.Id, commandId, s => s.Phase != CommandPhase.Running, "the command to end");

        Assert.Equal(CommandPhase.Exited, exited.Phase);
        Assert.Equal(3, exited.ExitCode);
        Assert.Equal(["two", "three"], exited.LogTail.TakeLast(2));
        Assert.Equal(["three"], (await Provider.GetCommandAsync(sandbox.Id, commandId, 1, CancellationToken.None)).LogTail);
    }

    [Fact]
    public async Task StartCommand_HugeLine_TailKeepsOnlyItsStart()
    {
        var sandbox = await CreateAsync();
        // One 3 MB line (a stream-json event for a file the agent read), then an ordinary one.
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "printf '{\"type\":\"user\",\"x\":\"'; head -c 3000000 /dev/zero | tr '\\0' x; echo '\"}'; echo done", CancellationToken.None);

        var exited = await WaitForAsync(sandbox.Id, commandId, s => s.Phase != CommandPhase.Running, "the command to end");

        Assert.Equal("done", exited.LogTail[^1]);
        var huge = exited.LogTail[^2];
        Assert.StartsWith("{\"type\":\"user\",\"x\":\"xxx", huge, StringComparison.Ordinal);
        Assert.Equal(CommandStatus.MaxLineLength, huge.Length);
    }

    [Fact]
    public async Task StartCommand_SameCommandAgain_ReturnsTheStartedOneAndRunsItOnce()
    {
        var sandbox = await CreateAsync();
        const string command = "echo ran >> runs.txt; echo started; while [ ! -e go ]; do sleep 0.05; done";
        var first = await Provider.StartCommandAsync(sandbox.Id, command, CancellationToken.None);
        await WaitForAsync(sandbox.Id, first, s => s.LogTail.Contains("started"), "the command to start");

        var again = await Provider.StartCommandAsync(sandbox.Id, command, CancellationToken.None);
        await Provider.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        var exited = await WaitForAsync(sandbox.Id, first, s => s.Phase != CommandPhase.Running, "the command to end");

        Assert.Equal(first, again);
        Assert.Equal(CommandPhase.Exited, exited.Phase);
        Assert.Equal("ran\n", Encoding.UTF8.GetString((await Provider.DownloadAsync(sandbox.Id, "runs.txt", CancellationToken.None))!));
    }

    [Fact]
    public async Task FollowCommand_LinesComeInOrderAsPrinted_AndItReturnsOnceTheCommandEnds()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "echo one; echo two; while [ ! -e go ]; do sleep 0.05; done; echo three; exit 3", CancellationToken.None);
        var lines = new ConcurrentQueue<string>();
        var sawTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var follow = Provider.FollowCommandAsync(sandbox.Id, commandId, line =>
        {
            lines.Enqueue(line);
            if (line == "two") sawTwo.TrySetResult();
        }, CancellationToken.None);
        await sawTwo.Task.WaitAsync(Eventually.DefaultBound);
        Assert.False(follow.IsCompleted, "the command waits for go");
        await Provider.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        await follow.WaitAsync(Eventually.DefaultBound);

        Assert.Equal(["one", "two", "three"], lines);
        var status = await Provider.GetCommandAsync(sandbox.Id, commandId, 1, CancellationToken.None);
        Assert.Equal(CommandPhase.Exited, status.Phase);
        Assert.Equal(3, status.ExitCode);
    }

    [Fact]
    public async Task FollowCommand_ManyLinesAtOnce_HandsOverEveryOneInOrder()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "seq 1 5000", CancellationToken.None);
        var lines = new ConcurrentQueue<string>();

        await Provider.FollowCommandAsync(sandbox.Id, commandId, lines.Enqueue, CancellationToken.None).WaitAsync(Eventually.DefaultBound);

        Assert.Equal(Enumerable.Range(1, 5000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines);
    }

    [Fact]
    public async Task FollowCommand_HugeLine_HandsOverOnlyItsStart()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "printf '{\"x\":\"'; head -c 3000000 /dev/zero | tr '\\0' x; echo '\"}'; echo done", CancellationToken.None);
        var lines = new ConcurrentQueue<string>();

        await Provider.FollowCommandAsync(sandbox.Id, commandId, lines.Enqueue, CancellationToken.None).WaitAsync(Eventually.DefaultBound);

        Assert.Equal(2, lines.Count);
        Assert.StartsWith("{\"x\":\"xxx", lines.First(), StringComparison.Ordinal);
        Assert.Equal(CommandStatus.MaxLineLength, lines.First().Length);
        Assert.Equal("done", lines.Last());
    }

    [Fact]
    public async Task FollowCommand_UnknownSandboxOrCommand_ReturnsAtOnce()
    {
        var sandbox = await CreateAsync();

        await Provider.FollowCommandAsync("never-made-" + Guid.NewGuid().ToString("N")[..12], "no-such-command", _ => Assert.Fail("no line"), CancellationToken.None);
        await Provider.FollowCommandAsync(sandbox.Id, "no-such-command", _ => Assert.Fail("no line"), CancellationToken.None);
    }

    [Fact]
    public async Task Commands_SeeTheSpecEnvironment_AndNotTheServices()
    {
        var leak = "CONTRACT_LEAK_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(leak, "service-secret");
        try
        {
            var sandbox = await CreateAsync(environment: new Dictionary<string, string> { ["CONTRACT_SPEC_VALUE"] = "from-spec" });

            var executed = await Provider.ExecuteAsync(sandbox.Id, "env", CommandTimeout, CancellationToken.None);
            var commandId = await Provider.StartCommandAsync(sandbox.Id, "env", CancellationToken.None);
            var started = await WaitForAsync(sandbox.Id, commandId, s => s.Phase != CommandPhase.Running, "env to end", tailLines: 1000);

            foreach (var output in new[] { executed.Output, string.Join('\n', started.LogTail) })
            {
                Assert.True(output.Length > 0, $"executed: {executed}; started: {started.Phase} {started.ExitCode}");
                Assert.Contains("CONTRACT_SPEC_VALUE=from-spec", output, StringComparison.Ordinal);
                Assert.DoesNotContain(leak, output, StringComparison.Ordinal);
                Assert.DoesNotContain("service-secret", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(leak, null);
        }
    }

    [Fact]
    public async Task UploadAndDownload_RelativePaths_RoundTripUnderTheWorkingDirectory()
    {
        var sandbox = await CreateAsync();
        byte[] content = [0, 1, 2, 255, .. "text"u8];

        await Provider.UploadAsync(sandbox.Id, "deep/er/file.bin", content, CancellationToken.None);
        var seen = await Provider.ExecuteAsync(sandbox.Id, "tail -c 4 deep/er/file.bin; echo made > made.txt", CommandTimeout, CancellationToken.None);

        Assert.Equal(content, await Provider.DownloadAsync(sandbox.Id, "deep/er/file.bin", CancellationToken.None));
        Assert.Equal("text", seen.Output);
        Assert.Equal("made\n", Encoding.UTF8.GetString((await Provider.DownloadAsync(sandbox.Id, "made.txt", CancellationToken.None))!));
        Assert.Null(await Provider.DownloadAsync(sandbox.Id, "missing.txt", CancellationToken.None));
    }

    [Theory]
    [InlineData("../escaped.txt")]
    [InlineData("inside/../../escaped.txt")]
    [InlineData("/etc/passwd")]
    public async Task UploadAndDownload_PathsLeavingTheSandbox_AreRefused(string path)
    {
        var sandbox = await CreateAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Provider.UploadAsync(sandbox.Id, path, "x"u8.ToArray(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Provider.DownloadAsync(sandbox.Id, path, CancellationToken.None));
    }

    [Fact]
    public async Task Delete_RunningCommandWithBackgroundedChildren_EndsThemAllAndRemovesTheSandbox()
    {
        var sandbox = await CreateAsync();
        string[] markers = [ProcessTable.UniqueSleep(), ProcessTable.UniqueSleep(), ProcessTable.UniqueSleep()];
        var commandId = await Provider.StartCommandAsync(
            sandbox.Id,
            $"setsid sleep {markers[0]} >/dev/null 2>&1 & nohup sleep {markers[1]} >/dev/null 2>&1 & sleep {markers[2]}",
            CancellationToken.None);
        if (SeesSandboxProcesses) await Eventually.TrueAsync(() => markers.All(m => ProcessTable.CountSleeping(m) == 1), "all three sleeps to run");
        Assert.Equal(CommandPhase.Running, (await Provider.GetCommandAsync(sandbox.Id, commandId, 10, CancellationToken.None)).Phase);

        Assert.True(await Provider.DeleteAsync(sandbox.Id, CancellationToken.None));

        if (SeesSandboxProcesses) Assert.All(markers, m => Assert.Equal(0, ProcessTable.CountSleeping(m)));
        Assert.Equal(CommandPhase.Lost, (await Provider.GetCommandAsync(sandbox.Id, commandId, 10, CancellationToken.None)).Phase);
        Assert.DoesNotContain(await Provider.ListAsync(new Dictionary<string, string>(), CancellationToken.None), s => s.Id == sandbox.Id);
        await Assert.ThrowsAsync<SandboxException>(() => Provider.ExecuteAsync(sandbox.Id, "true", CommandTimeout, CancellationToken.None));
        Assert.True(await Provider.DeleteAsync(sandbox.Id, CancellationToken.None));
        AssertNothingLeftOf(sandbox);
    }

    [Fact]
    public async Task Delete_UnknownSandbox_IsTrue()
    {
        Assert.True(await Provider.DeleteAsync("never-made-" + Guid.NewGuid().ToString("N")[..12], CancellationToken.None));
    }

    [Fact]
    public async Task GetCommand_UnknownSandboxOrCommand_IsLost()
    {
        var sandbox = await CreateAsync();

        var unknownSandbox = await Provider.GetCommandAsync("never-made-" + Guid.NewGuid().ToString("N")[..12], "no-such-command", 10, CancellationToken.None);
        var unknownCommand = await Provider.GetCommandAsync(sandbox.Id, "no-such-command", 10, CancellationToken.None);

        Assert.Equal(CommandPhase.Lost, unknownSandbox.Phase);
        Assert.Null(unknownSandbox.ExitCode);
        Assert.Equal(CommandPhase.Lost, unknownCommand.Phase);
    }

    protected static string NewName() => "contract-" + Guid.NewGuid().ToString("N")[..12];

    protected async Task<SandboxInfo> CreateAsync(
        string? name = null, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var sandbox = await Provider.CreateAsync(
            new SandboxSpec(name ?? NewName(), labels ?? new Dictionary<string, string> { ["contract"] = "yes" }, environment ?? new Dictionary<string, string>()),
            CancellationToken.None);
        _created.Add(sandbox.Id);
        return sandbox;
    }

    /// <summary>Polls a started command (a short pause between reads, bounded overall) until the condition holds.</summary>
    protected Task<CommandStatus> WaitForAsync(string sandboxId, string commandId, Func<CommandStatus, bool> condition, string what, int tailLines = 10) =>
        Eventually.MatchesAsync(() => Provider.GetCommandAsync(sandboxId, commandId, tailLines, CancellationToken.None), condition, what);
}
