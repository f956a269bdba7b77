namespace SandboxAgents.Reaper;

/// <summary>Section <c>Reaper</c>.</summary>
public sealed class ReaperOptions
{
    public const string SectionName = "Reaper";

    /// <summary>How often the reaper sweeps the provider for sandboxes no live run owns.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(10);
}
