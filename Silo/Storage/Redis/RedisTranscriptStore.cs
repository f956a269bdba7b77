using Microsoft.Extensions.DependencyInjection.Extensions;
using SandboxAgents.Runs;
using SandboxAgents.Silo.Hosting;
using StackExchange.Redis;

namespace SandboxAgents.Silo.Storage.Redis;

/// <summary>
/// Transcripts as Redis strings that expire after <c>Runs:TranscriptRetention</c>, for a cluster whose silos and
/// gateways share Redis (<c>Storage:Provider=redis</c>, or the gateway role).
/// </summary>
public sealed class RedisTranscriptStore(ClusterSettings cluster, TimeSpan retention) : ITranscriptStore, IAsyncDisposable
{
    private readonly Lazy<ConnectionMultiplexer> _redis = new(() => ConnectionMultiplexer.Connect(cluster.Redis()));

    public async Task SaveAsync(IssueKey issue, string runId, ReadOnlyMemory<byte> transcript, CancellationToken cancellationToken)
    {
        await _redis.Value.GetDatabase().StringSetAsync(KeyOf(issue, runId), transcript, retention).WaitAsync(cancellationToken);
    }

    public async Task<byte[]?> ReadAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        if (!TranscriptNames.IsRunId(runId)) return null;
        var value = await _redis.Value.GetDatabase().StringGetAsync(KeyOf(issue, runId)).WaitAsync(cancellationToken);
        return value.IsNull ? null : (byte[]?)value;
    }

    /// <summary>The key, under the cluster's service id so that two services sharing a Redis never meet.</summary>
    public RedisKey KeyOf(IssueKey issue, string runId) => $"{cluster.ServiceId}:transcript:{TranscriptNames.For(issue, runId)}";

    public async ValueTask DisposeAsync()
    {
        if (_redis.IsValueCreated) await _redis.Value.DisposeAsync();
    }

    /// <summary>Registers it in place of the file store.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var cluster = ClusterSettings.From(configuration);
        var retention = configuration.GetValue<TimeSpan?>($"{RunOptions.SectionName}:{nameof(RunOptions.TranscriptRetention)}") ?? new RunOptions().TranscriptRetention;
        services.RemoveAll<ITranscriptStore>();
        services.AddSingleton<ITranscriptStore>(new RedisTranscriptStore(cluster, retention));
    }
}
