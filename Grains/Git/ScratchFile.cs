namespace SandboxAgents.Git;

/// <summary>A temporary file that is deleted when disposed (a bundle on its way into or out of a sandbox).</summary>
public sealed class ScratchFile(string path) : IDisposable
{
    public string Path => path;

    public long Length => File.Exists(path) ? new FileInfo(path).Length : 0;

    public FileStream OpenWrite() => new(path, FileMode.Create, FileAccess.Write, FileShare.None);

    public FileStream OpenRead() => new(path, FileMode.Open, FileAccess.Read, FileShare.Read);

    public void Dispose()
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A scratch file left behind is harmless; the folder is the service's own.
        }
    }
}
