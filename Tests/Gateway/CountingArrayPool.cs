using System.Buffers;
using System.Collections.Concurrent;

namespace SandboxAgents.Tests.Gateway;

/// <summary>An array pool that knows which of its arrays are out, so a test can see every one come back.</summary>
public sealed class CountingArrayPool : ArrayPool<byte>
{
    private readonly ArrayPool<byte> _inner = Create();
    private readonly ConcurrentDictionary<byte[], int> _out = new(ReferenceEqualityComparer.Instance);

    public int Outstanding => _out.Count;

    public int Rents { get; private set; }

    public List<int> RentedSizes { get; } = [];

    public override byte[] Rent(int minimumLength)
    {
        var array = _inner.Rent(minimumLength);
        _out[array] = minimumLength;
        lock (RentedSizes) RentedSizes.Add(minimumLength);
        Rents++;
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (!_out.TryRemove(array, out _)) throw new InvalidOperationException("An array was returned that is not out (returned twice?).");
        _inner.Return(array, clearArray);
    }
}
