using Microsoft.Extensions.Options;

namespace SandboxAgents.Runs.Transcripts;

/// <summary>
/// Transcripts as files under <c>{Storage:Path}/transcripts</c>. A file's age is the service clock's, stamped as its
/// write time: one older than the retention is never served, and every save deletes those.
/// </summary>
public sealed class FileTranscriptStore(IOptions<StorageOptions> storage, IOptions<RunOptions> options, TimeProvider clock) : ITranscriptStore
{
    private string Folder => Path.Combine(storage.Value.DataFolder, "transcripts");

    public async Task SaveAsync(IssueKey issue, string runId, ReadOnlyMemory<byte> transcript, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var file = FileOf(issue, runId);
        var written = file + ".tmp";
        await File.WriteAllBytesAsync(written, transcript, cancellationToken);
        File.SetLastWriteTimeUtc(written, clock.GetUtcNow().UtcDateTime);
        File.Move(written, file, overwrite: true);
        Sweep();
    }

    public async Task<byte[]?> ReadAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        if (!TranscriptNames.IsRunId(runId)) return null;
        var file = FileOf(issue, runId);
        if (!File.Exists(file) || IsExpired(file)) return null;
        try
        {
            return await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null; // swept in the meantime
        }
    }

    /// <summary>Deletes every transcript older than the retention.</summary>
    public void Sweep()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var file in Directory.EnumerateFiles(Folder, "*.ndjson").Where(IsExpired)) File.Delete(file);
    }

    private bool IsExpired(string file) =>
        clock.GetUtcNow().UtcDateTime - File.GetLastWriteTimeUtc(file) > options.Value.TranscriptRetention;

    private string FileOf(IssueKey issue, string runId) => Path.Combine(Folder, TranscriptNames.For(issue, runId) + ".ndjson");
}
