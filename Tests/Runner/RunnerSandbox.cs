using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SandboxAgents.Runner;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Runner;

/// <summary>What one run of run.sh left behind.</summary>
public sealed record RunnerRun(int ExitCode, string Output, string ResultJson, RunnerResult Result);

/// <summary>
/// A temp folder holding a real bare repository (<c>o/r.git</c>, seeded with a README on <c>main</c>), a sandbox
/// folder with the task, an empty HOME, and a <c>git</c> wrapper first on PATH that records, for every git call, its
/// subcommand and a hash of the auth header it was given ("none" without one). Deleted on dispose.
/// </summary>
public sealed class RunnerSandbox : IDisposable
{
    public const string Branch = "agent/issue-12-ab12cd34";
    public const string Task = "Fix the typo in README.md: 'Teh' should be 'The'.";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public RunnerSandbox()
    {
        Root = Directory.CreateTempSubdirectory("runner-tests-").FullName;
        Repository = BareRepository.Create(Path.Combine(Root, "git"), "o", "r");
        Directory.CreateDirectory(Path.Combine(Sandbox, RunnerFiles.Directory));
        Directory.CreateDirectory(Home);
        File.WriteAllText(Path.Combine(Sandbox, RunnerFiles.Task), Task);
        WriteGitWrapper();
    }

    public string Root { get; }

    public BareRepository Repository { get; }

    public string Sandbox => Path.Combine(Root, "sandbox");

    public string RepositoryUrl => new Uri(Repository.Path).AbsoluteUri;

    private string Home => Path.Combine(Root, "home");

    private string WrapperDirectory => Path.Combine(Root, "bin");

    public string SandboxFile(string relativePath) => Path.Combine(Sandbox, relativePath);

    public void WriteToken(string token) => File.WriteAllText(SandboxFile(RunnerFiles.GitToken), token + "\n");

    /// <summary>The hash the git wrapper logs for the header a token should produce.</summary>
    public static string HeaderHash(string token)
    {
        var header = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(header)))[..16];
    }

    /// <summary>(subcommand, header hash) of every git call made so far, by the runner and by the agent.</summary>
    public IReadOnlyList<(string Command, string Header)> GitCalls()
    {
        var log = Path.Combine(Root, "git-calls.log");
        return File.Exists(log)
            ? [.. File.ReadAllLines(log).Select(line => line.Split(' ')).Select(parts => (parts[0], parts[1]))]
            : [];
    }

    public async Task<RunnerRun> RunAsync(string agentCommand, string? repositoryUrl = null, params (string Name, string Value)[] extra)
    {
        var script = SandboxFile(RunnerFiles.Script);
        await File.WriteAllBytesAsync(script, RunnerScript.Content.ToArray());
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = Sandbox,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { script },
        };
        start.Environment.Clear();
        start.Environment["PATH"] = WrapperDirectory + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Home;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment[RunnerEnvironment.RepoUrl] = repositoryUrl ?? RepositoryUrl;
        start.Environment[RunnerEnvironment.Branch] = Branch;
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
            header=none
            if [[ ${GIT_CONFIG_KEY_0:-} == http.extraHeader ]]; then
              header=$(printf '%s' "${GIT_CONFIG_VALUE_0:-}" | sha256sum | cut -c1-16)
            fi
            echo "${command:-none} $header" >> '{{Path.Combine(Root, "git-calls.log")}}'
            exec '{{realGit}}' "$@"

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
