using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SandboxAgents.Runner;
using SandboxAgents.Sandboxes;

namespace SandboxAgents.Runs.Transcripts;

/// <summary>
/// Keeps a run's transcript once its runner has exited, before its sandbox is deleted: the agent's output
/// (<see cref="RunnerFiles.AgentOutput"/>), every line redacted. A transcript that cannot be had never holds the run up.
/// </summary>
public sealed partial class TranscriptKeeper(
    ISandboxProvider sandboxes, ITranscriptStore store, SecretRedactor redactor, IOptions<RunOptions> options, ILogger<TranscriptKeeper> logger)
{
    public async Task KeepAsync(IssueKey issue, RunRecord run, CancellationToken cancellationToken)
    {
        if (run.TranscriptKept || run.SandboxId is null) return;
        try
        {
            if (await DownloadAsync(run.SandboxId, cancellationToken) is not { } output) return;
            await store.SaveAsync(issue, run.RunId, Redacted(output), cancellationToken);
            run.TranscriptKept = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotKept(logger, ex, issue, run.RunId);
        }
    }

    /// <summary>The agent's output, a note in its place when it is over the limit, or null when there is none.</summary>
    private async Task<byte[]?> DownloadAsync(string sandboxId, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxTranscriptBytes;
        using var copy = new MemoryStream();
        try
        {
            return await sandboxes.DownloadAsync(sandboxId, RunnerFiles.AgentOutput, copy, limit, cancellationToken) ? copy.ToArray() : null;
        }
        catch (SandboxFileTooLargeException)
        {
            return Encoding.UTF8.GetBytes(
                $"{{\"type\":\"note\",\"text\":\"The transcript was larger than {limit} bytes (Runs:MaxTranscriptBytes) and was not kept.\"}}\n");
        }
    }

    private byte[] Redacted(byte[] output)
    {
        var text = new StringBuilder(output.Length);
        foreach (var line in Encoding.UTF8.GetString(output).Split('\n')) text.Append(redactor.Redact(line)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString().TrimEnd('\n') + "\n");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}: the transcript of run {RunId} was not kept")]
    private static partial void LogNotKept(ILogger logger, Exception exception, IssueKey issue, string runId);
}
