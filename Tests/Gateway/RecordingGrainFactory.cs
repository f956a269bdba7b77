using System.Collections.Concurrent;
using Orleans.Runtime;

namespace SandboxAgents.Tests.Gateway;

/// <summary>
/// A grain factory for the gateway alone: it hands out the grains a test put in place, by interface and key, and
/// refuses any other, so a test sees exactly which grain a delivery reached.
/// </summary>
public sealed class RecordingGrainFactory : IGrainFactory
{
    private readonly ConcurrentDictionary<(Type, string), IGrain> _grains = new();

    public ConcurrentQueue<(Type Interface, string Key)> Asked { get; } = new();

    public void Add<TGrain>(string key, TGrain grain) where TGrain : IGrain => _grains[(typeof(TGrain), key)] = grain;

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey =>
        Find<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey =>
        Find<TGrainInterface>(primaryKey.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private TGrain Find<TGrain>(string key)
    {
        Asked.Enqueue((typeof(TGrain), key));
        return _grains.TryGetValue((typeof(TGrain), key), out var grain)
            ? (TGrain)grain
            : throw new InvalidOperationException($"The test put no {typeof(TGrain).Name} '{key}' in place.");
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw Unused();
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw Unused();
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw Unused();
    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Unused();
    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Unused();
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Unused();
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Unused();
    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Unused();
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Unused();
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Unused();
    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw Unused();
    public IAddressable GetGrain(GrainId grainId) => throw Unused();
    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Unused();
    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw Unused();
    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw Unused();

    private static NotSupportedException Unused() => new("The gateway's webhook path does not ask for grains this way.");
}
