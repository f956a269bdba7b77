namespace SandboxAgents.Tests.EndToEnd.ClaudeCli;

/// <summary>A test that runs the real Claude Code CLI: skipped, and saying so, where it is not installed.</summary>
public sealed class ClaudeCliFactAttribute : FactAttribute
{
    public const string Executable = "/usr/bin/claude";

    public ClaudeCliFactAttribute()
    {
        if (!IsInstalled())
            Skip = $"The Claude Code CLI is not installed ({Executable}, or claude on PATH): the real-CLI end-to-end test did not run.";
    }

    private static bool IsInstalled() =>
        File.Exists(Executable)
        || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, "claude")));
}
