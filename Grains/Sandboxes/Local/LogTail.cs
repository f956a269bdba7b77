using System.Text;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The last lines of a command's log, found from the end of the file so a long log costs no more than a short one.
/// A line can be megabytes (one stream-json event): only its first <see cref="CommandStatus.MaxLineLength"/> bytes
/// are read, and the search for line starts gives up <see cref="MaxScan"/> bytes from the end (the line it is in then
/// is left out, as probably cut).
/// </summary>
internal static class LogTail
{
    private const int Chunk = 64 * 1024;
    private const long MaxScan = 16L * 1024 * 1024;

    public static async Task<IReadOnlyList<string>> ReadAsync(string logFile, int lines, CancellationToken cancellationToken)
    {
        if (lines <= 0 || !File.Exists(logFile)) return [];
        await using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (length == 0) return [];
        // A log that ends with '\n' has no line after it.
        var contentEnd = await ByteAtAsync(stream, length - 1, cancellationToken) == '\n' ? length - 1 : length;
        var starts = await LineStartsAsync(stream, contentEnd, lines, cancellationToken);
        var tail = new List<string>(starts.Count);
        for (var i = 0; i < starts.Count; i++)
            tail.Add(await ReadLineAsync(stream, starts[i], i + 1 < starts.Count ? starts[i + 1] - 1 : contentEnd, cancellationToken));
        return tail;
    }

    /// <summary>Where the last <paramref name="lines"/> lines before <paramref name="contentEnd"/> begin, oldest first.</summary>
    private static async Task<List<long>> LineStartsAsync(FileStream stream, long contentEnd, int lines, CancellationToken cancellationToken)
    {
        var starts = new List<long>();
        var buffer = new byte[Chunk];
        var position = contentEnd;
        while (position > 0 && contentEnd - position < MaxScan && starts.Count < lines)
        {
            var size = (int)Math.Min(Chunk, position);
            position -= size;
            stream.Seek(position, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            for (var i = size - 1; i >= 0 && starts.Count < lines; i--)
                if (buffer[i] == '\n') starts.Add(position + i + 1);
        }

        if (position == 0 && starts.Count < lines) starts.Add(0);
        starts.Reverse();
        return starts;
    }

    private static async Task<int> ByteAtAsync(FileStream stream, long at, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        stream.Seek(at, SeekOrigin.Begin);
        return await stream.ReadAsync(one, cancellationToken) == 1 ? one[0] : -1;
    }

    private static async Task<string> ReadLineAsync(FileStream stream, long start, long stop, CancellationToken cancellationToken)
    {
        var bytes = new byte[(int)Math.Min(Math.Max(0, stop - start), CommandStatus.MaxLineLength)];
        stream.Seek(start, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return Encoding.UTF8.GetString(bytes).TrimEnd('\r');
    }
}
