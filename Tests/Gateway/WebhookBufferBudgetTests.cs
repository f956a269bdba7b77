using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Tests.Gateway;

public sealed class WebhookBufferBudgetTests
{
    private readonly WebhookBufferBudget _budget = new(100);

    [Fact]
    public async Task AcquireAsync_WithinBudget_GrantedAtOnce_DisposeGivesItBack()
    {
        var lease = await _budget.AcquireAsync(60, CancellationToken.None);

        Assert.Equal(40, _budget.Available);
        lease.Dispose();
        lease.Dispose();
        Assert.Equal(100, _budget.Available);
    }

    [Fact]
    public async Task AcquireAsync_OverWhatIsLeft_WaitsUntilReleased()
    {
        var first = await _budget.AcquireAsync(60, CancellationToken.None);

        var second = _budget.AcquireAsync(60, CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        first.Dispose();
        using var granted = await second;
        Assert.Equal(60, granted.Bytes);
        Assert.Equal(40, _budget.Available);
    }

    [Fact]
    public async Task AcquireAsync_LargerThanTheBudget_WaitsForAllOfIt_ThenGoesAlone()
    {
        var small = await _budget.AcquireAsync(10, CancellationToken.None);

        var large = _budget.AcquireAsync(1_000, CancellationToken.None).AsTask();
        Assert.False(large.IsCompleted);
        small.Dispose();
        using var alone = await large;

        Assert.Equal(100, alone.Bytes);
        Assert.Equal(0, _budget.Available);
        Assert.False(_budget.AcquireAsync(1, CancellationToken.None).AsTask().IsCompleted);
    }

    [Fact]
    public async Task AcquireAsync_FirstComeFirstServed_SmallClaimDoesNotOvertakeAWaitingLargeOne()
    {
        var held = await _budget.AcquireAsync(50, CancellationToken.None);
        var large = _budget.AcquireAsync(80, CancellationToken.None).AsTask();

        var small = _budget.AcquireAsync(10, CancellationToken.None).AsTask();

        Assert.False(small.IsCompleted);
        held.Dispose();
        (await large).Dispose();
        using var _ = await small;
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_Throws_AndTheNextInLineIsServed()
    {
        var held = await _budget.AcquireAsync(50, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = _budget.AcquireAsync(80, cancel.Token).AsTask();
        var behind = _budget.AcquireAsync(40, CancellationToken.None).AsTask();

        await cancel.CancelAsync();

        await Task.WhenAny(waiting);
        Assert.True(waiting.IsCanceled);
        using var served = await behind;
        Assert.Equal(10, _budget.Available);
        held.Dispose();
        Assert.Equal(60, _budget.Available);
    }

    [Fact]
    public async Task AcquireAsync_AlreadyCancelled_WaitingNeeded_Throws_AndClaimsNothing()
    {
        using var held = await _budget.AcquireAsync(100, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _budget.AcquireAsync(1, new CancellationToken(canceled: true)).AsTask());

        held.Dispose();
        Assert.Equal(100, _budget.Available);
    }
}
