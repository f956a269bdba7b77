namespace SandboxAgents.Sandboxes;

/// <summary>Small files in and out of a sandbox as bytes (the runner's script, the task, the result).</summary>
public static class SandboxFiles
{
    /// <summary>The most a small file read this way may hold.</summary>
    public const long SmallFileLimit = 16 * 1024 * 1024;

    public static async Task UploadAsync(this ISandboxProvider sandboxes, string sandboxId, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        await sandboxes.UploadAsync(sandboxId, path, stream, cancellationToken);
    }

    /// <summary>The file's bytes, or null when it does not exist.</summary>
    public static async Task<byte[]?> DownloadAsync(this ISandboxProvider sandboxes, string sandboxId, string path, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        return await sandboxes.DownloadAsync(sandboxId, path, copy, SmallFileLimit, cancellationToken) ? copy.ToArray() : null;
    }

    /// <summary>Copies at most <paramref name="maxBytes"/> from the source, throwing once it holds more.</summary>
    public static async Task CopyBoundedAsync(Stream source, Stream destination, long maxBytes, string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes) throw new SandboxFileTooLargeException(path, maxBytes);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
