using System.Collections.Concurrent;

namespace SandboxAgents.Tests.Fakes;

/// <summary>Transcripts in memory, for grain tests.</summary>
public sealed class FakeTranscriptStore : ITranscriptStore
{
    public ConcurrentDictionary<string, byte[]> Saved { get; } = new();

    public Task SaveAsync(IssueKey issue, string runId, ReadOnlyMemory<byte> transcript, CancellationToken cancellationToken)
    {
        Saved[TranscriptNames.For(issue, runId)] = transcript.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(IssueKey issue, string runId, CancellationToken cancellationToken) =>
        Task.FromResult(Saved.GetValueOrDefault(TranscriptNames.For(issue, runId)));
}
