namespace SandboxAgents.Gateway.Webhooks;

/// <summary>The webhook side of section <c>GitHub</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "GitHub";

    /// <summary>HMAC secret shared with GitHub. When empty, one is generated under <c>Storage:Path</c> on first start.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>GitHub caps payloads at 25 MB; anything larger is refused before it is read.</summary>
    public long MaxPayloadBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>
    /// Bytes that all webhook bodies being read may hold at once. A delivery waits for its share before it is read;
    /// one larger than the whole budget is read alone.
    /// </summary>
    public long WebhookBufferBudgetBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How long a delivery may take to arrive, its wait for buffer budget included, before it is refused. GitHub gives
    /// up on a delivery after 10 s, so one slower than that is not GitHub's.
    /// </summary>
    public TimeSpan WebhookReadTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
