using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace SandboxAgents.Tests.Grains;

/// <summary>
/// The grain test silo's storage: state kept as the bytes the silo's own storage serializer makes (JSON by property
/// name, as in production), with ETags checked like a real provider's, every write counted per grain, and state
/// that a test can put in place before a grain is activated (a state stored by an earlier version, say).
/// </summary>
public sealed class RecordingGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (BinaryData Data, string ETag)> _stored = new();
    private readonly ConcurrentDictionary<(string State, GrainId Grain), int> _writes = new();
    private readonly ConcurrentDictionary<(string State, GrainId Grain), TaskCompletionSource> _holds = new();
    private IGrainStorageSerializer? _serializer;
    private int _version;

    public RecordingGrainStorage Bind(IGrainStorageSerializer serializer)
    {
        _serializer = serializer;
        return this;
    }

    private IGrainStorageSerializer Serializer => _serializer ?? throw new InvalidOperationException("The storage is not bound to the silo yet.");

    /// <summary>Writes of one of the grain's states so far.</summary>
    public int WritesOf(string stateName, GrainId grain) => _writes.GetValueOrDefault((stateName, grain));

    /// <summary>
    /// Until the returned source is completed, writes of the grain's state wait (a slow store), so that the calls
    /// behind them pile up.
    /// </summary>
    public TaskCompletionSource HoldWritesOf(string stateName, GrainId grain)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds[(stateName, grain)] = gate;
        return gate;
    }

    /// <summary>Puts stored bytes in place, as if a silo had written them before.</summary>
    public void Seed(string stateName, GrainId grain, byte[] data) => _stored[(stateName, grain)] = (new BinaryData(data), NextETag());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_stored.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = Serializer.Deserialize<T>(stored.Data);
            (grainState.ETag, grainState.RecordExists) = (stored.ETag, true);
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
#pragma warning disable VSTHRD003 // the test's gate, completed by the test: a store that answers late
        if (_holds.TryGetValue((stateName, grainId), out var gate)) await gate.Task;
#pragma warning restore VSTHRD003
        var held = _stored.TryGetValue((stateName, grainId), out var stored) ? stored.ETag : null;
        if (!string.Equals(held, grainState.ETag, StringComparison.Ordinal))
            throw new InconsistentStateException($"ETag mismatch writing {stateName} of {grainId}", held, grainState.ETag);
        var etag = NextETag();
        _stored[(stateName, grainId)] = (Serializer.Serialize(grainState.State), etag);
        (grainState.ETag, grainState.RecordExists) = (etag, true);
        _writes.AddOrUpdate((stateName, grainId), 1, (_, n) => n + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _stored.TryRemove((stateName, grainId), out _);
        (grainState.ETag, grainState.RecordExists) = (null, false);
        return Task.CompletedTask;
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}
