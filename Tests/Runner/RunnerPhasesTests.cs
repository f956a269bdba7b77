using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SandboxAgents.Runner;

namespace SandboxAgents.Tests.Runner;

/// <summary>
/// The runner's phases with the real run.sh: the setup (its variables reach it and nothing after it), the validation
/// on the agent's commit, and the stop the service asks for at the deadline. The agents are bash snippets that play
/// the hostile agent where it matters: they look for the setup's secret everywhere they can.
/// </summary>
public sealed class RunnerPhasesTests : IDisposable
{
    private readonly RunnerSandbox _sandbox = new();
    private readonly string _canary = "canary-" + Guid.NewGuid().ToString("N");

    public RunnerPhasesTests() => File.WriteAllText(NeedleFile, _canary);

    /// <summary>The canary, in a file outside the sandbox's folder: the agent reads its needle from here, so that the needle itself is in no environment or command line.</summary>
    private string NeedleFile => Path.Combine(_sandbox.Root, "needle");

    private string RootFile(string name) => Path.Combine(_sandbox.Root, name);

    public void Dispose()
    {
        foreach (var process in ProcessesCarrying(_canary)) process.Kill();
        _sandbox.Dispose();
    }

    /// <summary>An agent that lists every environment, every command line and the variables' file holding the canary, into agent-found.</summary>
    private string SecretHunter => $"""
        grep -l -a -F -f '{NeedleFile}' /proc/[0-9]*/environ /proc/[0-9]*/cmdline ../.agent-run/setup.env 2>/dev/null > '{RootFile("agent-found")}'
        ls -A ../.agent-run > '{RootFile("agent-saw")}'
        echo change >> README.md
        """;

    [Fact]
    public async Task Setup_RunsInOrderWithItsVariables_AndTheAgentFindsThemNowhere()
    {
        await _sandbox.WriteCommandsAsync(
            [
                "printf 01 >> ../../setup-order; pwd > ../../setup-cwd\nprintf %s \"$SETUP_CANARY\" | sha256sum | cut -c1-64 > ../../setup-saw",
                "printf 02 >> ../../setup-order\n[[ $OTHER == $'a=b\\nc' ]] && echo other-ok\necho setup two done",
            ],
            [], ("SETUP_CANARY", _canary), ("OTHER", "a=b\nc"));

        var run = await _sandbox.RunAsync(SecretHunter);

        Assert.Equal(RunnerOutcomes.Committed, run.Result.Outcome);
        Assert.Equal("0102", await File.ReadAllTextAsync(RootFile("setup-order")));
        Assert.Equal(_sandbox.SandboxFile(RunnerFiles.Checkout), (await File.ReadAllTextAsync(RootFile("setup-cwd"))).Trim());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_canary))), (await File.ReadAllTextAsync(RootFile("setup-saw"))).Trim());
        var setup = Assert.IsType<CommandReport>(run.Result.Setup);
        Assert.Equal(("printf 02 >> ../../setup-order\n[[ $OTHER == $'a=b\\nc' ]] && echo other-ok\necho setup two done", 0, "other-ok\nsetup two done"),
            (setup.Command, setup.ExitCode, setup.Tail));
        Assert.InRange(setup.DurationMs, 0, 60_000);
        Assert.Equal("", await File.ReadAllTextAsync(RootFile("agent-found")));
        Assert.DoesNotContain("setup.env", await File.ReadAllTextAsync(RootFile("agent-saw")));
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.SetupEnvironment)));
        Assert.DoesNotContain(_canary, run.ResultJson);
        Assert.DoesNotContain(_canary, run.Output);
        Assert.DoesNotContain(_canary, await File.ReadAllTextAsync(_sandbox.SandboxFile(RunnerFiles.AgentOutput)));
        Assert.Contains("runner: setup 01: printf 01 >> ../../setup-order; pwd > ../../setup-cwd", run.Output);
        Assert.Contains("setup two done", run.Output);
    }

    [Fact]
    public async Task Setup_LeavesDaemonsBehind_NoneIsLeftWhenTheAgentStarts()
    {
        await _sandbox.WriteCommandsAsync(
            [
                """
                setsid sleep 1000 </dev/null >/dev/null 2>&1 &
                (setsid bash -c 'sleep 1001 & sleep 1002' </dev/null >/dev/null 2>&1 &)
                nohup sleep 1003 >/dev/null 2>&1 &
                sleep 1004 &
                echo daemons started
                """,
            ],
            [], ("SETUP_CANARY", _canary));

        var run = await _sandbox.RunAsync(SecretHunter);

        Assert.Equal((RunnerOutcomes.Committed, 0, "daemons started"), (run.Result.Outcome, run.Result.Setup?.ExitCode, run.Result.Setup?.Tail));
        Assert.Equal("", await File.ReadAllTextAsync(RootFile("agent-found")));
        Assert.Empty(ProcessesCarrying(_canary));
    }

    [Fact]
    public async Task Setup_CommandFails_EndsWithItsTailAndTheAgentNeverRuns()
    {
        const string failing = "echo 'failing setup'\nfor i in $(seq 40); do echo \"line $i\"; done\nexit 4";
        await _sandbox.WriteCommandsAsync(["echo first ok", failing, "touch ../../setup-03-ran"], ["touch ../../validated"], ("SETUP_CANARY", _canary));

        var run = await _sandbox.RunAsync("touch ../../agent-ran");

        Assert.Equal((RunnerOutcomes.Error, "setup: `echo 'failing setup'` exited 4", (int?)null, 0),
            (run.Result.Outcome, run.Result.Error, run.Result.AgentExitCode, run.Result.Commits));
        var setup = Assert.IsType<CommandReport>(run.Result.Setup);
        Assert.Equal((failing, 4), (setup.Command, setup.ExitCode));
        Assert.Equal(string.Join('\n', Enumerable.Range(11, 30).Select(i => $"line {i}")), setup.Tail);
        Assert.Null(run.Result.Validation);
        foreach (var marker in (string[])["agent-ran", "setup-03-ran", "validated"]) Assert.False(File.Exists(RootFile(marker)), marker);
        Assert.False(File.Exists(_sandbox.SandboxFile(RunnerFiles.SetupEnvironment)));
    }

    [Fact]
    public async Task Validation_PassesAndFails_EachIsRecordedAndTheBundleHoldsTheAgentsCommitOnly()
    {
        await _sandbox.WriteCommandsAsync([],
        [
            "test -f agent.txt && echo 'agent.txt is there'",
            "echo build > build-output.txt\necho broken >&2\nexit 2",
            "git status --porcelain > ../../status-at-validate; git rev-parse HEAD > ../../head-at-validate\ngit add -A && git commit -qm 'A validation commit'",
        ]);

        var run = await _sandbox.RunAsync("echo work > agent.txt");

        var result = run.Result;
        Assert.Equal((RunnerOutcomes.Committed, 1, false, (CommandReport?)null), (result.Outcome, result.Commits, result.StoppedEarly, result.Setup));
        var validation = Assert.IsAssignableFrom<IReadOnlyList<CommandReport>>(result.Validation);
        Assert.Equal([(0, "agent.txt is there"), (2, "broken"), (0, null)], validation.Select(v => (v.ExitCode, v.Tail)));
        Assert.Equal("echo build > build-output.txt\necho broken >&2\nexit 2", validation[1].Command);
        Assert.All(validation, v => Assert.InRange(v.DurationMs, 0, 60_000));
        Assert.Equal(result.Commit, (await File.ReadAllTextAsync(RootFile("head-at-validate"))).Trim());
        Assert.Equal("?? build-output.txt", (await File.ReadAllTextAsync(RootFile("status-at-validate"))).Trim());
        Assert.Equal(result.Commit, _sandbox.GitOnChanges("rev-parse", RunnerSandbox.Branch));
        Assert.Equal("README.md\nagent.txt", _sandbox.GitOnChanges("ls-tree", "--name-only", RunnerSandbox.Branch));
        Assert.Contains("runner: validate 02 exited 2", run.Output);
    }

    [Fact]
    public async Task Validation_AgentRewritesTheCommands_TheServicesCommandsRun()
    {
        await _sandbox.WriteCommandsAsync([], ["echo the real check; exit 5"]);

        var run = await _sandbox.RunAsync("echo 'exit 0' > ../.agent-run/validate/01; echo work > agent.txt");

        var check = Assert.Single(run.Result.Validation!);
        Assert.Equal(("echo the real check; exit 5", 5, "the real check"), (check.Command, check.ExitCode, check.Tail));
    }

    [Fact]
    public async Task Validation_AgentLeavesADaemonThatRewritesTheCheckout_InItsOwnPidNamespaceTheDaemonIsEndedFirst()
    {
        // The validation writes "failing" and reads it back a second later; the agent's daemon, in a session of its
        // own and with a clean environment (no marker, no variable to find it by), keeps writing "passing" over it.
        await _sandbox.WriteCommandsAsync([], ["echo failing > verdict; sleep 1; cat verdict; [[ $(cat verdict) == failing ]]"]);
        _sandbox.OwnPidNamespace = true;

        var run = await _sandbox.RunAsync("""
            env -i setsid bash -c 'while :; do echo passing > verdict; sleep 0.01; done' </dev/null >/dev/null 2>&1 &
            echo work > agent.txt
            """);

        var check = Assert.Single(run.Result.Validation!);
        Assert.Equal((0, "failing"), (check.ExitCode, check.Tail));
        Assert.Equal("work\n", _sandbox.ShowFromChanges("agent.txt"));
    }

    [Fact]
    public async Task Validation_OutputIsNotText_TheTailStillParses()
    {
        await _sandbox.WriteCommandsAsync([], [@"printf 'fine\n\377\376 not text\n\000nul\n'"]);

        var run = await _sandbox.RunAsync("echo work > agent.txt");

        Assert.Equal("fine\n[not UTF-8 text]\nnul", Assert.Single(run.Result.Validation!).Tail);
    }

    [Fact]
    public async Task Stop_AgentEndsOnSigterm_ItsWorkIsCommittedAndTheValidationSkipped()
    {
        await _sandbox.WriteCommandsAsync([], ["touch ../../validated"]);

        var run = await _sandbox.RunAsync("""
            trap 'echo "agent: asked to stop"; echo wrapped-up >> notes.txt; exit 143' TERM
            echo partial > notes.txt
            touch ../.agent-run/stop
            while :; do sleep 0.1; done
            """);

        var result = run.Result;
        Assert.Equal((RunnerOutcomes.Committed, 143, true, (IReadOnlyList<CommandReport>?)null),
            (result.Outcome, result.AgentExitCode, result.StoppedEarly, result.Validation));
        Assert.Equal("partial\nwrapped-up\n", _sandbox.ShowFromChanges("notes.txt"));
        Assert.Contains("agent: asked to stop", run.Output);
        Assert.False(File.Exists(RootFile("validated")));
    }

    [Fact]
    public async Task Stop_AgentIgnoresSigterm_IsKilledAfterTheGraceAndItsWorkCommitted()
    {
        var run = await _sandbox.RunAsync("""
            trap '' TERM
            echo partial > notes.txt
            touch ../.agent-run/stop
            while :; do sleep 0.1; done
            """, (RunnerEnvironment.WrapUpGraceSeconds, "1"));

        Assert.Equal((RunnerOutcomes.Committed, 137, true), (run.Result.Outcome, run.Result.AgentExitCode, run.Result.StoppedEarly));
        Assert.Equal("partial\n", _sandbox.ShowFromChanges("notes.txt"));
    }

    /// <summary>Every process on the machine whose environment holds the text.</summary>
    private static List<Process> ProcessesCarrying(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var found = new List<Process>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            try
            {
                if (File.ReadAllBytes(Path.Combine(folder, "environ")).AsSpan().IndexOf(needle) >= 0) found.Add(Process.GetProcessById(pid));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // Gone, or not ours to read.
            }
        }

        return found;
    }
}
