using System.Diagnostics;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// One command run for real: <c>setsid bash -c &lt;command&gt;</c> in the sandbox's working directory, with only the
/// environment given, stdin closed, stdout and stderr captured apart. <c>setsid</c> makes bash the leader of a new
/// process group (its pid is the group id), so <see cref="Kill"/> reaches every process the command started.
/// </summary>
internal sealed class LocalCommand
{
    private const int Running = int.MinValue;
    private readonly Process _process;
    private int _exitCode = Running;

    private LocalCommand(Process process)
    {
        _process = process;
        ProcessGroupId = process.Id;
        Completion = RunAsync();
    }

    public CommandOutput Output { get; } = new();

    /// <summary>The exit code once the process has ended and both streams are drained; 137 after a kill.</summary>
    public Task<int> Completion { get; }

    public int ProcessGroupId { get; }

    /// <summary>The exit code once <see cref="Completion"/> is done; null before.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code && code != Running ? code : null;

    public bool IsAlive => ProcessGroup.IsAlive(ProcessGroupId);

    /// <summary>
    /// Starts the command; throws <see cref="System.ComponentModel.Win32Exception"/> when it cannot. With
    /// <paramref name="mergeStderr"/> both streams share one pipe, in order, and all output counts as stdout.
    /// </summary>
    public static LocalCommand Start(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, bool mergeStderr = false)
    {
        var info = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(mergeStderr ? "exec 2>&1\n" + command : command);
        info.Environment.Clear();
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new LocalCommand(process);
    }

    public void Kill() => ProcessGroup.KillAll(ProcessGroupId);

    private async Task<int> RunAsync()
    {
        await Task.WhenAll(
            Output.PumpAsync(_process.StandardOutput.BaseStream, isStderr: false),
            Output.PumpAsync(_process.StandardError.BaseStream, isStderr: true),
            _process.WaitForExitAsync());
        var exitCode = _process.ExitCode;
        _process.Dispose();
        Volatile.Write(ref _exitCode, exitCode);
        return exitCode;
    }
}
