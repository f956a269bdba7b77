using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

public sealed class PooledBodyTests
{
    private readonly CountingArrayPool _pool = new();

    private static byte[] Bytes(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7))];

    [Fact]
    public async Task ReadAsync_DeclaredLength_RentsThatSizeOnce_ReadsItAll()
    {
        var content = Bytes(50_000);

        using (var body = await PooledBody.ReadAsync(new MemoryStream(content), content.Length, 100_000, _pool, CancellationToken.None))
        {
            Assert.Equal(content, body!.Span.ToArray());
            Assert.Equal([50_000], _pool.RentedSizes);
        }

        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task ReadAsync_NoDeclaredLength_GrowsToFit_ReturnsTheSmallerArrays()
    {
        var content = Bytes(100_000);

        using (var body = await PooledBody.ReadAsync(new MemoryStream(content), null, 200_000, _pool, CancellationToken.None))
        {
            Assert.Equal(content, body!.Span.ToArray());
            Assert.Equal(1, _pool.Outstanding);
            Assert.True(_pool.Rents > 1);
        }

        Assert.Equal(0, _pool.Outstanding);
    }

    [Theory]
    [InlineData(1_001, null)]
    [InlineData(1_001, 1_001L)]
    public async Task ReadAsync_OverTheLimit_Null_NothingKept(int length, long? declared)
    {
        var body = await PooledBody.ReadAsync(new MemoryStream(Bytes(length)), declared, 1_000, _pool, CancellationToken.None);

        Assert.Null(body);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task ReadAsync_ExactlyTheLimitWithoutDeclaredLength_Accepted()
    {
        using var body = await PooledBody.ReadAsync(new MemoryStream(Bytes(1_000)), null, 1_000, _pool, CancellationToken.None);

        Assert.Equal(1_000, body!.Length);
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ArrayGoesBack()
    {
        using var cancel = new CancellationTokenSource();
        var stalling = new StallingStream(Bytes(10));
        var reading = PooledBody.ReadAsync(stalling, 1_000, 10_000, _pool, cancel.Token);
        Assert.True(stalling.Stalled);

        await cancel.CancelAsync();

        await Task.WhenAny(reading);
        Assert.True(reading.IsCanceled);
        Assert.Equal(0, _pool.Outstanding);
    }

    [Fact]
    public async Task AsStream_IsReadOnlyViewOfTheSameBytes()
    {
        var content = Bytes(3_000);
        using var body = await PooledBody.ReadAsync(new MemoryStream(content), content.Length, 10_000, _pool, CancellationToken.None);

        using var stream = body!.AsStream();
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.False(stream.CanWrite);
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(1, _pool.Rents);
    }

    [Theory]
    [InlineData(24L * 1024 * 1024, 32L * 1024 * 1024)]
    [InlineData(1_000L, 1_024L)]
    [InlineData(0L, 0L)]
    public void Reservation_DeclaredLength_IsThePooledArraySize(long declared, long expected) =>
        Assert.Equal(expected, PooledBody.Reservation(declared, 25L * 1024 * 1024));

    [Fact]
    public void Reservation_NoDeclaredLength_IsTheLargestArrayUnderTheCap() =>
        Assert.Equal(32L * 1024 * 1024, PooledBody.Reservation(null, 25L * 1024 * 1024));

    [Fact]
    public async Task CreatePool_ArrayGivenBackOnOneThread_IsTheNextRentOnAnother()
    {
        var pool = PooledBody.CreatePool(25L * 1024 * 1024, 64L * 1024 * 1024);
        var given = pool.Rent(24 * 1024 * 1024);
        pool.Return(given);

        var next = await Task.Run(() => pool.Rent(24 * 1024 * 1024));

        Assert.Same(given, next);
    }
}
