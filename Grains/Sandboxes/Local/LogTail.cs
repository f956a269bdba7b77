namespace SandboxAgents.Sandboxes.Local;

/// <summary>The last lines of a command's log, read from the end of the file so a long log costs no more than a short one.</summary>
internal static class LogTail
{
    private const int Window = 64 * 1024;

    public static async Task<IReadOnlyList<string>> ReadAsync(string logFile, int lines, CancellationToken cancellationToken)
    {
        if (lines <= 0 || !File.Exists(logFile)) return [];
        await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > Window) stream.Seek(-Window, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var all = text.Split('\n');
        var kept = all[^1].Length == 0 ? all[..^1] : all;
        if (stream.Length > Window && kept.Length > 0) kept = kept[1..]; // the first line read is probably cut
        return kept.Length <= lines ? kept : kept[^lines..];
    }
}
