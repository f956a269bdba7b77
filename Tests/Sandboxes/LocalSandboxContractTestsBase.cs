using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Sandboxes;
using SandboxAgents.Sandboxes.Local;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>The contract for the local provider under one isolation setting, plus what only a local provider can show.</summary>
public abstract class LocalSandboxContractTestsBase : SandboxProviderContractTests
{
    private readonly DirectoryInfo _root = OpenTempFolder.Create("local-sandbox-tests-");
    private readonly List<LocalProviderHost> _hosts = [];

    protected abstract string Isolation { get; }

    protected string Root => _root.FullName;

    protected LocalSandboxProvider Local => (LocalSandboxProvider)Provider;

    /// <summary>The work folder as the sandbox's commands see it.</summary>
    protected abstract string InsideWork(SandboxInfo sandbox);

    /// <summary>The variables the provider adds so that commands reach the network (the egress proxy's).</summary>
    protected virtual IReadOnlyCollection<string> NetworkVariables => [];

    /// <summary>Variables set to 1 that say how the command is isolated (a PID namespace of its own).</summary>
    protected virtual IReadOnlyCollection<string> IsolationVariables => [];

    protected override ISandboxProvider CreateProvider() => CreateLocal(TimeProvider.System);

    protected LocalSandboxProvider CreateLocal(TimeProvider time, Action<LocalSandboxOptions>? configure = null, string network = SandboxAgents.Sandboxes.Egress.NetworkOptions.Proxy)
    {
        var options = new LocalSandboxOptions { Root = Root, Isolation = Isolation };
        configure?.Invoke(options);
        var host = LocalProviderHost.Create(options, time, network);
        _hosts.Add(host);
        return host.Provider;
    }

    protected string WorkOf(SandboxInfo sandbox) => Path.Combine(Root, sandbox.Id, "work");

    protected string MetaOf(SandboxInfo sandbox) => Path.Combine(Root, sandbox.Id, "meta");

    protected override void AssertNothingLeftOf(SandboxInfo sandbox) => Assert.False(Directory.Exists(Path.Combine(Root, sandbox.Id)));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var host in _hosts) await host.DisposeAsync();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task StartCommand_AgainFromAnotherServiceProcess_FindsTheRunningOneInsteadOfStartingASecond()
    {
        var sandbox = await CreateAsync();
        const string command = "echo ran >> runs.txt; echo started; while [ ! -e go ]; do sleep 0.05; done";
        var first = await Provider.StartCommandAsync(sandbox.Id, command, CancellationToken.None);
        await WaitForAsync(sandbox.Id, first, s => s.LogTail.Contains("started"), "the command to start");
        var survivor = CreateLocal(TimeProvider.System);

        var again = await survivor.StartCommandAsync(sandbox.Id, command, CancellationToken.None);
        await survivor.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        var exited = await Eventually.MatchesAsync(() => survivor.GetCommandAsync(sandbox.Id, again, 10, CancellationToken.None), s => s.Phase != CommandPhase.Running, "the command to end");

        Assert.Equal(first, again);
        Assert.Equal(CommandPhase.Exited, exited.Phase);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(WorkOf(sandbox), "runs.txt")));
    }

    [Fact]
    public async Task FollowCommand_ItsProcessGroupKilled_ReturnsAndTheCommandIsLost()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "echo started; while true; do sleep 0.05; done", CancellationToken.None);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var follow = Provider.FollowCommandAsync(sandbox.Id, commandId, line => { if (line == "started") started.TrySetResult(); }, CancellationToken.None);
        await started.Task.WaitAsync(Eventually.DefaultBound);

        ProcessGroup.KillGroup(int.Parse(await File.ReadAllTextAsync(Path.Combine(MetaOf(sandbox), commandId + ".pgid")), System.Globalization.CultureInfo.InvariantCulture));
        await follow.WaitAsync(Eventually.DefaultBound);

        // The killed processes may wait a moment to be reaped, and count as running until then.
        Assert.Equal(CommandPhase.Lost, (await WaitForAsync(sandbox.Id, commandId, s => s.Phase != CommandPhase.Running, "the killed command to be gone")).Phase);
        Assert.False(File.Exists(Path.Combine(MetaOf(sandbox), commandId + ".exit")));
    }

    [Fact]
    public async Task FollowCommand_FromAnotherServiceProcess_StillReturnsWhenTheCommandEnds()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "echo before; while [ ! -e go ]; do sleep 0.05; done; echo after", CancellationToken.None);
        var survivor = CreateLocal(TimeProvider.System);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var follow = survivor.FollowCommandAsync(sandbox.Id, commandId, line =>
        {
            lines.Enqueue(line);
            if (line == "before") before.TrySetResult();
        }, CancellationToken.None);
        await before.Task.WaitAsync(Eventually.DefaultBound);
        await survivor.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        await follow.WaitAsync(Eventually.DefaultBound);

        Assert.Equal(["before", "after"], lines);
        Assert.True(File.Exists(Path.Combine(MetaOf(sandbox), commandId + ".exit")));
    }

    [Fact]
    public async Task Upload_OverAFileACommandIsReading_LeavesTheReaderTheOldFileWhole()
    {
        var sandbox = await CreateAsync();
        await Provider.UploadAsync(sandbox.Id, "script.sh", "echo before\nwhile [ ! -e go ]; do sleep 0.05; done\necho after\n"u8.ToArray(), CancellationToken.None);
        var command = await Provider.StartCommandAsync(sandbox.Id, "bash script.sh", CancellationToken.None);
        await WaitForAsync(sandbox.Id, command, s => s.LogTail.Contains("before"), "the script to start");

        await Provider.UploadAsync(sandbox.Id, "script.sh", "echo replaced\n"u8.ToArray(), CancellationToken.None);
        await Provider.UploadAsync(sandbox.Id, "go", "go"u8.ToArray(), CancellationToken.None);
        var exited = await WaitForAsync(sandbox.Id, command, s => s.Phase != CommandPhase.Running, "the script to end");

        Assert.Equal(["before", "after"], exited.LogTail);
        Assert.Equal("echo replaced\n", await File.ReadAllTextAsync(Path.Combine(WorkOf(sandbox), "script.sh")));
        Assert.DoesNotContain(Directory.EnumerateFiles(WorkOf(sandbox)), f => Path.GetFileName(f).StartsWith(".upload-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Commands_Environment_IsExactlyTheBaseVariablesAndTheSpecs()
    {
        var sandbox = await CreateAsync(environment: new Dictionary<string, string> { ["SPEC_TOKEN"] = "t0ken" });

        var result = await Provider.ExecuteAsync(sandbox.Id, "env -0", TimeSpan.FromSeconds(60), CancellationToken.None);

        var variables = result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1]);
        Assert.Equal("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", variables["PATH"]);
        Assert.Equal(InsideWork(sandbox), variables["HOME"]);
        Assert.Equal("C.UTF-8", variables["LANG"]);
        Assert.Equal("t0ken", variables["SPEC_TOKEN"]);
        Assert.StartsWith("cmd-", variables[CommandLauncher.CommandVariable]);
        // bash itself adds PWD, SHLVL and _; nothing else may appear.
        Assert.Empty(variables.Keys.Except(["PATH", "HOME", "LANG", "SPEC_TOKEN", "PWD", "SHLVL", "_", CommandLauncher.CommandVariable, .. NetworkVariables, .. IsolationVariables]));
        Assert.All(NetworkVariables, name => Assert.True(variables.ContainsKey(name), $"{name} is missing"));
        Assert.All(IsolationVariables, name => Assert.Equal("1", variables.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task Commands_RunInTheWorkDirectory_WhichIsAlsoHome()
    {
        var sandbox = await CreateAsync();

        var result = await Provider.ExecuteAsync(sandbox.Id, "pwd; echo \"$HOME\"; touch ~/at-home", TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal($"{InsideWork(sandbox)}\n{InsideWork(sandbox)}\n", result.Output);
        Assert.True(File.Exists(Path.Combine(WorkOf(sandbox), "at-home")));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Create_KeepsDescriptionAndPrivateEnvironmentInMeta_OutsideTheWorkDirectory()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var provider = CreateLocal(clock);

        var sandbox = await provider.CreateAsync(
            new SandboxSpec("Meta Test_1", new Dictionary<string, string> { ["k"] = "v" }, new Dictionary<string, string> { ["SECRET"] = "hunter2" }),
            CancellationToken.None);

        try
        {
            Assert.True(SandboxId.IsValid(sandbox.Id));
            Assert.Equal("Meta Test_1", sandbox.Name);
            var description = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(MetaOf(sandbox), "sandbox.json"))).RootElement;
            Assert.Equal(clock.GetUtcNow(), description.GetProperty("CreatedAt").GetDateTimeOffset());
            Assert.DoesNotContain("hunter2", description.GetRawText(), StringComparison.Ordinal);
            var environment = Path.Combine(MetaOf(sandbox), "environment.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(environment));
            Assert.Contains("hunter2", await File.ReadAllTextAsync(environment), StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(WorkOf(sandbox)));
        }
        finally
        {
            await provider.DeleteAsync(sandbox.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Create_NamesThatCleanUpAlike_GetDifferentIds()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];

        var first = await CreateAsync($"run_{suffix}");
        var second = await CreateAsync($"run-{suffix}");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal($"run-{suffix}", second.Id);
    }

    [Fact]
    public async Task GetCommand_FromANewProviderInstance_FollowsTheCommandToItsEnd()
    {
        var sandbox = await CreateAsync();
        var commandId = await Provider.StartCommandAsync(sandbox.Id, "echo waiting; while [ ! -e go ]; do sleep 0.05; done; exit 4", CancellationToken.None);
        var restarted = CreateLocal(TimeProvider.System);

        var running = await Eventually.MatchesAsync(
            () => restarted.GetCommandAsync(sandbox.Id, commandId, 5, CancellationToken.None), s => s.LogTail.Count > 0, "the command to print");
        await File.WriteAllTextAsync(Path.Combine(WorkOf(sandbox), "go"), "");
        var exited = await Eventually.MatchesAsync(
            () => restarted.GetCommandAsync(sandbox.Id, commandId, 5, CancellationToken.None), s => s.Phase != CommandPhase.Running, "the command to end");

        Assert.Equal(CommandPhase.Running, running.Phase);
        Assert.Equal(CommandPhase.Exited, exited.Phase);
        Assert.Equal(4, exited.ExitCode);
        Assert.Equal(["waiting"], exited.LogTail);
    }

    [Fact]
    public async Task Delete_FromANewProviderInstance_EndsEvenProcessesThatLeftTheCommandsSession()
    {
        var sandbox = await CreateAsync();
        string[] sleeps = [ProcessTable.UniqueSleep(), ProcessTable.UniqueSleep()];
        await Provider.StartCommandAsync(sandbox.Id, $"setsid sleep {sleeps[0]} >/dev/null 2>&1 & sleep {sleeps[1]}", CancellationToken.None);
        await Eventually.TrueAsync(() => sleeps.All(s => ProcessTable.CountSleeping(s) == 1), "both sleeps to run");

        var deleted = await CreateLocal(TimeProvider.System).DeleteAsync(sandbox.Id, CancellationToken.None);

        Assert.True(deleted);
        Assert.All(sleeps, s => Assert.Equal(0, ProcessTable.CountSleeping(s)));
        AssertNothingLeftOf(sandbox);
    }

    /// <summary>A local sandbox's files are host files: a link planted inside must not lead a read or write out.</summary>
    [Fact]
    public async Task UploadAndDownload_ThroughLinksLeadingOut_AreRefused()
    {
        var sandbox = await CreateAsync();
        var planted = await Provider.ExecuteAsync(sandbox.Id, "ln -s /etc out && ln -s /etc/passwd pw && mkdir d && ln -s ../out d/up", CommandTimeout, CancellationToken.None);
        Assert.Equal(0, planted.ExitCode);
        var name = $"contract-{Guid.NewGuid():N}";

        foreach (var path in new[] { "out/passwd", "pw", "d/up/passwd" })
            await Assert.ThrowsAsync<ArgumentException>(() => Provider.DownloadAsync(sandbox.Id, path, CancellationToken.None));
        foreach (var path in new[] { $"out/{name}", "pw", $"d/up/{name}" })
            await Assert.ThrowsAsync<ArgumentException>(() => Provider.UploadAsync(sandbox.Id, path, "x"u8.ToArray(), CancellationToken.None));
        Assert.False(File.Exists($"/etc/{name}"));
    }
}
