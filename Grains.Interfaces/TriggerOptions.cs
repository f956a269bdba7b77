namespace SandboxAgents;

/// <summary>Section <c>Triggers</c>: the label and the comment prefix that command runs.</summary>
public sealed class TriggerOptions
{
    public const string SectionName = "Triggers";

    public string Label { get; set; } = "agent";

    public string Command { get; set; } = "/agent";
}
