namespace SandboxAgents.Silo.Hosting;

/// <summary>
/// What this process does (<c>Service:Role</c>): <c>all</c> (default: silo and gateway in one process), <c>silo</c>
/// (a cluster member without the HTTP face), or <c>gateway</c> (the HTTP face as an Orleans client of a cluster).
/// </summary>
public sealed record ServiceRole(string Name)
{
    public const string Key = "Service:Role";

    public bool HostsSilo => Name is "all" or "silo";

    public bool ServesGateway => Name is "all" or "gateway";

    /// <summary>
    /// Only a <c>silo</c> opens the Orleans gateway port (<c>Orleans:GatewayPort</c>): gateway-role processes connect
    /// to it. In <c>all</c> the HTTP face calls its own silo in process, so no outside client needs the port.
    /// </summary>
    public bool OpensOrleansGateway => Name is "silo";

    public static ServiceRole From(IConfiguration configuration)
    {
        var name = (configuration[Key] ?? "all").Trim().ToLowerInvariant();
        return name is "all" or "silo" or "gateway"
            ? new ServiceRole(name)
            : throw new InvalidOperationException($"{Key} must be 'all', 'silo' or 'gateway', not '{name}'.");
    }
}
