namespace SandboxAgents.Runner;

/// <summary>The runner script (<c>run.sh</c>), embedded in this assembly.</summary>
public static class RunnerScript
{
    /// <summary>The first pass: unpack, setup, the agent and its messages, commit, validate, pack.</summary>
    public const string StartCommand = "bash " + RunnerFiles.Script;

    /// <summary>A later pass in the same sandbox once the first has finished: the messages that came since, then commit, validate, pack again.</summary>
    public const string ResumeCommand = StartCommand + " resume";

    private static readonly Lazy<byte[]> Bytes = new(Load);

    public static ReadOnlyMemory<byte> Content => Bytes.Value;

    private static byte[] Load()
    {
        using var stream = typeof(RunnerScript).Assembly.GetManifestResourceStream("SandboxAgents.Runner.run.sh")
            ?? throw new InvalidOperationException("The runner script is not embedded in the Grains assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
