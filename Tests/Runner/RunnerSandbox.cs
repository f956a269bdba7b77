using System.Diagnostics;
using System.Text;
using SandboxAgents.Runner;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Runner;

/// <summary>What one run of run.sh left behind.</summary>
public sealed record RunnerRun(int ExitCode, string Output, string ResultJson, RunnerResult Result);

/// <summary>
/// A temp folder holding a real bare repository (<c>o/r.git</c>, seeded with a README on <c>main</c>), a sandbox
/// folder with the task and a bundle of <c>main</c> as the service would upload them, an empty HOME, and a <c>git</c>
/// wrapper first on PATH that records every git call's subcommand and whether any <c>GIT_CONFIG_*</c> variable
/// reached it. Deleted on dispose.
/// </summary>
public sealed class RunnerSandbox : IDisposable
{
    public const string Branch = "agent/issue-12-ab12cd34";
    public const string Task = "Fix the typo in README.md: 'Teh' should be 'The'.";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public RunnerSandbox()
    {
        Root = Directory.CreateTempSubdirectory("runner-tests-").FullName;
        Repository = BareRepository.Create(Path.Combine(Root, "git"), "o", "r");
        Directory.CreateDirectory(Path.Combine(Sandbox, RunnerFiles.Directory));
        Directory.CreateDirectory(Home);
        File.WriteAllText(Path.Combine(Sandbox, RunnerFiles.Task), Task);
        BaseCommit = BareRepository.Git(Repository.Path, "rev-parse", "main").Trim();
        BareRepository.Git(Repository.Path, "bundle", "create", "--quiet", SandboxFile(RunnerFiles.BaseBundle), "refs/heads/main");
        WriteGitWrapper();
    }

    /// <summary>The head of <c>main</c>: the run's base commit.</summary>
    public string BaseCommit { get; }

    public string Root { get; }

    public BareRepository Repository { get; }

    public string Sandbox => Path.Combine(Root, "sandbox");

    private string Home => Path.Combine(Root, "home");

    private string WrapperDirectory => Path.Combine(Root, "bin");

    public string SandboxFile(string relativePath) => Path.Combine(Sandbox, relativePath);

    /// <summary>(subcommand, "config" when a GIT_CONFIG_* variable reached it else "none") of every git call so far.</summary>
    public IReadOnlyList<(string Command, string Config)> GitCalls()
    {
        var log = Path.Combine(Root, "git-calls.log");
        return File.Exists(log)
            ? [.. File.ReadAllLines(log).Select(line => line.Split(' ')).Select(parts => (parts[0], parts[1]))]
            : [];
    }

    /// <summary>A commit of the changes bundle the runner left, fetched into a scratch clone of the repository.</summary>
    public string ShowFromChanges(string file)
    {
        var clone = Path.Combine(Root, "check-" + Guid.NewGuid().ToString("N")[..8]);
        BareRepository.Git(Root, "clone", "--quiet", "--bare", Repository.Path, clone);
        BareRepository.Git(clone, "fetch", "--quiet", SandboxFile(RunnerFiles.ChangesBundle), $"refs/heads/{Branch}:refs/heads/{Branch}");
        return BareRepository.Git(clone, "show", $"{Branch}:{file}");
    }

    /// <summary>Runs git in a scratch clone that has the changes bundle's branch.</summary>
    public string GitOnChanges(params string[] arguments)
    {
        var clone = Path.Combine(Root, "check-" + Guid.NewGuid().ToString("N")[..8]);
        BareRepository.Git(Root, "clone", "--quiet", "--bare", Repository.Path, clone);
        BareRepository.Git(clone, "fetch", "--quiet", SandboxFile(RunnerFiles.ChangesBundle), $"refs/heads/{Branch}:refs/heads/{Branch}");
        return BareRepository.Git(clone, arguments).Trim();
    }

    /// <summary>Writes the run's setup and validate commands, and the setup's variables, as the service uploads them.</summary>
    public async Task WriteCommandsAsync(string[] setup, string[] validate, params (string Name, string Value)[] setupEnvironment)
    {
        foreach (var (path, content) in RunnerCommandFiles.For(setup, validate))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SandboxFile(path))!);
            await File.WriteAllBytesAsync(SandboxFile(path), content);
        }

        if (RunnerCommandFiles.SetupEnvironment(setupEnvironment.Select(v => KeyValuePair.Create(v.Name, v.Value))) is { } variables)
            await File.WriteAllBytesAsync(SandboxFile(RunnerFiles.SetupEnvironment), variables);
    }

    /// <summary>
    /// Run the script in a PID namespace of its own (util-linux <c>unshare</c>, as root), as a local isolated sandbox
    /// runs it, with <c>SANDBOX_OWN_PID_NAMESPACE=1</c>.
    /// </summary>
    public bool OwnPidNamespace { get; set; }

    /// <summary>Runs the first pass, as the service starts it (<see cref="RunnerScript.StartCommand"/>).</summary>
    public Task<RunnerRun> RunAsync(string agentCommand, params (string Name, string Value)[] extra) => RunAsync([], agentCommand, extra);

    /// <summary>Runs a resume pass in what the passes before left (<see cref="RunnerScript.ResumeCommand"/>).</summary>
    public Task<RunnerRun> ResumeAsync(string agentCommand, params (string Name, string Value)[] extra) => RunAsync(["resume"], agentCommand, extra);

    /// <summary>Writes the <paramref name="index"/>th (from 0) steering message, as the service uploads it.</summary>
    public void WriteMessage(int index, string text)
    {
        Directory.CreateDirectory(SandboxFile(RunnerFiles.Messages));
        File.WriteAllText(SandboxFile(RunnerFiles.MessageFile(index)), text);
    }

    private async Task<RunnerRun> RunAsync(string[] mode, string agentCommand, (string Name, string Value)[] extra)
    {
        var script = SandboxFile(RunnerFiles.Script);
        await File.WriteAllBytesAsync(script, RunnerScript.Content.ToArray());
        var start = new ProcessStartInfo(OwnPidNamespace ? "unshare" : "bash")
        {
            WorkingDirectory = Sandbox,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in OwnPidNamespace ? ["--pid", "--fork", "--mount-proc", "bash", script, .. mode] : (string[])[script, .. mode])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        if (OwnPidNamespace) start.Environment["SANDBOX_OWN_PID_NAMESPACE"] = "1";
        start.Environment["PATH"] = WrapperDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Home;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment[RunnerEnvironment.Branch] = Branch;
        start.Environment[RunnerEnvironment.BaseBranch] = "main";
        start.Environment[RunnerEnvironment.BaseCommit] = BaseCommit;
        start.Environment[RunnerEnvironment.IssueNumber] = "12";
        start.Environment[RunnerEnvironment.AgentCommand] = agentCommand;
        foreach (var (name, value) in extra) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"run.sh did not finish within {Timeout}.");
        }

        var json = await File.ReadAllTextAsync(SandboxFile(RunnerFiles.Result));
        Assert.True(RunnerResult.TryParse(Encoding.UTF8.GetBytes(json), out var result, out var error), $"{error}\n{json}");
        return new RunnerRun(process.ExitCode, await output + await errors, json, result);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void WriteGitWrapper()
    {
        var realGit = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(folder => Path.Combine(folder, "git")).First(File.Exists);
        Directory.CreateDirectory(WrapperDirectory);
        var wrapper = Path.Combine(WrapperDirectory, "git");
        File.WriteAllText(wrapper, $$"""
            #!/usr/bin/env bash
            command="" i=1
            while ((i <= $#)); do
              case ${!i} in -c|-C) ((i += 2)) ;; -*) ((i += 1)) ;; *) command=${!i}; break ;; esac
            done
            config=none
            if [[ -n ${GIT_CONFIG_COUNT:-}${GIT_CONFIG_KEY_0:-} ]]; then config=config; fi
            echo "${command:-none} $config" >> '{{Path.Combine(Root, "git-calls.log")}}'
            exec '{{realGit}}' "$@"

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
