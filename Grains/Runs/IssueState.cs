namespace SandboxAgents.Runs;

/// <summary>The persisted state of one issue's <see cref="SandboxGrain"/>.</summary>
[GenerateSerializer, Alias("SandboxAgents.Runs.IssueState")]
public sealed class IssueState
{
    private const int DeliveriesKept = 100;

    /// <summary>Runs, oldest first; the last one is the current run.</summary>
    [Id(0)] public List<RunRecord> Runs { get; set; } = [];

    /// <summary>Commands accepted but not yet acted on.</summary>
    [Id(1)] public List<IssueCommand> Inbox { get; set; } = [];

    /// <summary>Recent webhook delivery ids, to drop redeliveries.</summary>
    [Id(2)] public List<string> Deliveries { get; set; } = [];

    public RunRecord? Current => Runs.Count == 0 ? null : Runs[^1];

    public bool HasWork => Inbox.Count > 0 || Runs.Any(r => !r.IsSettled);

    /// <summary>Remembers a delivery id; false when it was seen before.</summary>
    public bool RememberDelivery(string deliveryId)
    {
        if (Deliveries.Contains(deliveryId, StringComparer.Ordinal)) return false;
        Deliveries.Add(deliveryId);
        if (Deliveries.Count > DeliveriesKept) Deliveries.RemoveRange(0, Deliveries.Count - DeliveriesKept);
        return true;
    }

    /// <summary>Drops the oldest settled runs beyond the history length; unsettled runs are always kept.</summary>
    public void TrimHistory(int keep)
    {
        while (Runs.Count > keep && Runs[0].IsSettled) Runs.RemoveAt(0);
    }
}
