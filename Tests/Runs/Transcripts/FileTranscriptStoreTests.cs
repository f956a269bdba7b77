using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SandboxAgents.Runs;
using SandboxAgents.Runs.Transcripts;

namespace SandboxAgents.Tests.Runs.Transcripts;

public sealed class FileTranscriptStoreTests : IDisposable
{
    private static readonly IssueKey Issue = new("octo", "widgets", 7);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"transcripts-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly FileTranscriptStore _store;

    public FileTranscriptStoreTests() =>
        _store = new(Options.Create(new StorageOptions { Path = _folder }), Options.Create(new RunOptions { TranscriptRetention = TimeSpan.FromDays(30) }), _clock);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Saved_IsReadBack_UntilTheRetentionEnds_ThenSweptOnTheNextSave()
    {
        await _store.SaveAsync(Issue, "0123abcd", "{\"type\":\"result\"}\n"u8.ToArray(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal("{\"type\":\"result\"}\n"u8.ToArray(), await _store.ReadAsync(Issue, "0123abcd", CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _store.ReadAsync(Issue, "0123abcd", CancellationToken.None));
        Assert.Single(Directory.GetFiles(Path.Combine(_folder, "transcripts")));

        await _store.SaveAsync(Issue, "fedc9876", "{}\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal(["octo~widgets~7~fedc9876.ndjson"], Directory.GetFiles(Path.Combine(_folder, "transcripts")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABC")]
    [InlineData("")]
    public async Task NotARunId_IsNeverAPath(string runId)
    {
        Assert.Null(await _store.ReadAsync(Issue, runId, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.SaveAsync(Issue, runId, "x"u8.ToArray(), CancellationToken.None));
    }
}
