namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// How many bytes all webhook bodies being buffered may hold at once (<c>GitHub:WebhookBufferBudgetBytes</c>). A
/// request claims its share before it reads and waits, first come first served, until the share is free; a claim
/// larger than the whole budget waits for all of it, and so is read alone.
/// </summary>
public sealed class WebhookBufferBudget
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _queue = [];
    private long _available;

    public WebhookBufferBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
    }

    public long Capacity { get; }

    /// <summary>Bytes not claimed right now.</summary>
    public long Available
    {
        get
        {
            lock (_gate) return _available;
        }
    }

    /// <summary>Claims <paramref name="bytes"/> (at most the whole budget); the claim lasts until the lease is disposed.</summary>
    public async ValueTask<Lease> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        var amount = Math.Clamp(bytes, 0, Capacity);
        LinkedListNode<Waiter> node;
        lock (_gate)
        {
            if (_queue.Count == 0 && amount <= _available)
            {
                _available -= amount;
                return new Lease(this, amount);
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _queue.AddLast(new Waiter(amount));
        }

        await using (cancellationToken.Register(() => Abandon(node, cancellationToken)))
        {
            // Completed by Release or Abandon, continuations run asynchronously: there is no context to deadlock on.
#pragma warning disable VSTHRD003
            await node.Value.Granted.Task;
#pragma warning restore VSTHRD003
        }

        return new Lease(this, amount);
    }

    private void Abandon(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        List<Waiter> granted;
        lock (_gate)
        {
            // Already granted: the caller holds a lease and gives it back itself.
            if (node.List is null) return;
            _queue.Remove(node);
            granted = GrantLocked();
        }

        node.Value.Granted.TrySetCanceled(cancellationToken);
        foreach (var waiter in granted) waiter.Granted.TrySetResult();
    }

    private void Release(long amount)
    {
        List<Waiter> granted;
        lock (_gate)
        {
            _available += amount;
            granted = GrantLocked();
        }

        foreach (var waiter in granted) waiter.Granted.TrySetResult();
    }

    /// <summary>Hands the freed bytes to the waiters at the head of the line, in order, as far as they go.</summary>
    private List<Waiter> GrantLocked()
    {
        var granted = new List<Waiter>();
        while (_queue.First is { } first && first.Value.Amount <= _available)
        {
            _available -= first.Value.Amount;
            _queue.RemoveFirst();
            granted.Add(first.Value);
        }

        return granted;
    }

    private sealed class Waiter(long amount)
    {
        public long Amount => amount;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A claim on the budget; disposing it (once or more) gives the bytes back.</summary>
    public sealed class Lease : IDisposable
    {
        private WebhookBufferBudget? _budget;

        internal Lease(WebhookBufferBudget budget, long bytes) => (_budget, Bytes) = (budget, bytes);

        public long Bytes { get; }

        public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(Bytes);
    }
}
