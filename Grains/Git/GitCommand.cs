using System.Diagnostics;
using System.Text;

namespace SandboxAgents.Git;

/// <summary>
/// Runs the service's own <c>git</c>: no prompts, no system configuration, none of the service's own <c>GIT_*</c>
/// variables, hooks off, and credentials only in the environment of the one process that talks to a remote (never in
/// its arguments, which any local user can read).
/// </summary>
internal static class GitCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    public static async Task<GitOutput> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken,
        bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in (string[])["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.ext.allow=never"])
            start.ArgumentList.Add(argument);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new GitException("git could not be started.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            throw new GitException($"git {Describe(start)} did not finish within {DefaultTimeout}.");
        }

        var result = new GitOutput(process.ExitCode, await output, await errors);
        if (throwOnFailure && result.ExitCode != 0)
            throw new GitException($"git {Describe(start)} failed: {result.Reason}");
        return result;
    }

    /// <summary>The subcommand, for messages; the arguments may name paths but never hold a secret.</summary>
    private static string Describe(ProcessStartInfo start) =>
        start.ArgumentList.SkipWhile(a => a.StartsWith('-') || a.Contains('=', StringComparison.Ordinal)).FirstOrDefault() ?? "";
}

/// <summary>What a git process printed, and how it ended.</summary>
internal sealed record GitOutput(int ExitCode, string Output, string Errors)
{
    /// <summary>The line that says what went wrong: git's first <c>fatal:</c> or <c>error:</c> line, else its last line.</summary>
    public string Reason
    {
        get
        {
            var lines = Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return lines.FirstOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal) || l.StartsWith("error:", StringComparison.Ordinal))
                ?? lines.LastOrDefault() ?? $"exit code {ExitCode}";
        }
    }

    public IEnumerable<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
