namespace SandboxAgents.Gateway.Api;

/// <summary>Section <c>Api</c>: who may read and change runs through the HTTP face.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// The operator key: <c>Authorization: Bearer {Key}</c> for scripts, or given once on the sign-in form for a browser
    /// session. Without one, writes and the Orleans dashboard are refused, and so are reads unless <see cref="PublicReads"/>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>Serve the dashboard's reads (runs, one issue, the event stream, the API description) without the key.</summary>
    public bool PublicReads { get; set; }

    /// <summary>How long a browser session lasts after signing in.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    public bool HasKey => !string.IsNullOrEmpty(Key);
}
