using System.Buffers;
using System.Numerics;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// A request body read whole into one array rented from an <see cref="ArrayPool{T}"/>: sized from the declared
/// <c>Content-Length</c>, or grown by doubling up to the cap when none was declared. Disposing it returns the array.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private const int FirstChunk = 16 * 1024;

    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;

    private PooledBody(ArrayPool<byte> pool, byte[] buffer, int length) => (_pool, _buffer, Length) = (pool, buffer, length);

    public int Length { get; }

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledBody));

    /// <summary>A read-only stream over the buffer, not a copy of it; valid until this is disposed.</summary>
    public Stream AsStream() => new MemoryStream(Buffer, 0, Length, writable: false);

    /// <summary>
    /// A pool for bodies up to <paramref name="limit"/>: arrays up to the largest such a body grows into, and of each
    /// size as many as the budget lets be out at once when all are that large (at least one). Unlike the shared pool it
    /// keeps no array per thread, so an array given back is the next request's, whichever thread serves it, and the
    /// memory bodies take stays near the budget; what it keeps between bursts is bounded the same way.
    /// </summary>
    public static ArrayPool<byte> CreatePool(long limit, long budget)
    {
        var largest = Reservation(null, limit);
        return ArrayPool<byte>.Create((int)Math.Min(largest, 1 << 30), (int)Math.Clamp(budget / largest, 1, 64));
    }

    /// <summary>
    /// The bytes reading a body may come to hold: a declared length rounded up the way pooled arrays are sized, or,
    /// with no length declared, the largest array a body under the cap can grow into.
    /// </summary>
    public static long Reservation(long? declaredLength, long limit) =>
        declaredLength is { } length ? ArraySize(length) : ArraySize(limit + 1);

    /// <summary>
    /// Reads the body into a rented array: at most <paramref name="declaredLength"/> bytes when one was declared (the
    /// server holds the client to it), otherwise until the end. Null when the body is longer than <paramref name="limit"/>;
    /// then nothing is kept. On any failure (the client gone, the token cancelled) the array goes back to the pool.
    /// </summary>
    public static async Task<PooledBody?> ReadAsync(
        Stream source, long? declaredLength, long limit, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        if (declaredLength > limit) return null;
        if (declaredLength == 0) return new PooledBody(pool, [], 0);

        var ceiling = declaredLength ?? limit + 1;
        var buffer = pool.Rent((int)Math.Min(ceiling, declaredLength ?? FirstChunk));
        var handedOver = false;
        try
        {
            var filled = 0;
            while (filled < ceiling)
            {
                if (filled == buffer.Length) buffer = Grow(pool, buffer, filled, ceiling);
                var read = await source.ReadAsync(buffer.AsMemory(filled, (int)Math.Min(buffer.Length, ceiling) - filled), cancellationToken);
                if (read == 0) break;
                filled += read;
            }

            if (filled > limit) return null;
            handedOver = true;
            return new PooledBody(pool, buffer, filled);
        }
        finally
        {
            if (!handedOver) pool.Return(buffer);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { Length: > 0 } buffer) _pool.Return(buffer);
    }

    private static byte[] Grow(ArrayPool<byte> pool, byte[] buffer, int filled, long ceiling)
    {
        var larger = pool.Rent((int)Math.Min(ceiling, (long)buffer.Length * 2));
        buffer.AsSpan(0, filled).CopyTo(larger);
        pool.Return(buffer);
        return larger;
    }

    private static long ArraySize(long length) => length <= 0 ? 0 : length <= 16 ? 16 : (long)BitOperations.RoundUpToPowerOf2((ulong)length);
}
