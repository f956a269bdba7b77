using System.Collections.Concurrent;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The size of a sandbox's work folder, measured at most once per interval per sandbox: walking a large checkout
/// costs, and a single file cannot outgrow the limit anyway (the file-size rlimit stops it). Links are not followed.
/// Real time, because the files are real.
/// </summary>
internal sealed class DiskUsage(TimeSpan interval)
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    private readonly ConcurrentDictionary<string, (long At, long Bytes)> _measured = new(StringComparer.Ordinal);

    /// <summary>The folder's size when it is over the limit, else null (also when it was measured too recently).</summary>
    public long? Exceeds(string sandboxId, string folder, long limitBytes)
    {
        var now = Environment.TickCount64;
        if (_measured.TryGetValue(sandboxId, out var last) && now - last.At < interval.TotalMilliseconds)
            return last.Bytes > limitBytes ? last.Bytes : null;
        var bytes = Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", Walk).Sum(f => f.Length) : 0;
        _measured[sandboxId] = (now, bytes);
        return bytes > limitBytes ? bytes : null;
    }

    public void Forget(string sandboxId) => _measured.TryRemove(sandboxId, out _);
}
