namespace SandboxAgents.Gateway.Webhooks;

/// <summary>The webhook side of section <c>GitHub</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "GitHub";

    /// <summary>HMAC secret shared with GitHub. When empty, one is generated under <c>Storage:Path</c> on first start.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>GitHub caps payloads at 25 MB; anything larger is refused before it is read.</summary>
    public long MaxPayloadBytes { get; set; } = 25 * 1024 * 1024;
}
