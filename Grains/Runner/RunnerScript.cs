namespace SandboxAgents.Runner;

/// <summary>The runner script (<c>run.sh</c>), embedded in this assembly.</summary>
public static class RunnerScript
{
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
