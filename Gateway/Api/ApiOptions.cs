namespace SandboxAgents.Gateway.Api;

/// <summary>Section <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Bearer key of the operator API's writes and of <c>/orleans</c>. Without one, writes are refused.</summary>
    public string? Key { get; set; }
}
