using System.Net;
using System.Text;
using StackExchange.Redis;

namespace SandboxAgents.Silo.Hosting;

/// <summary>The cluster identity and endpoints every role reads the same way, so silos and gateways always agree.</summary>
public sealed record ClusterSettings(string ClusterId, string ServiceId, int SiloPort, int GatewayPort, string? RedisConnectionString)
{
    public static ClusterSettings From(IConfiguration configuration) => new(
        configuration.GetValue("Orleans:ClusterId", "sandbox-agents")!,
        configuration.GetValue("Orleans:ServiceId", "sandbox-agents")!,
        configuration.GetValue("Orleans:SiloPort", 11111),
        configuration.GetValue("Orleans:GatewayPort", 30000),
        configuration["Redis:ConnectionString"]);

    public ConfigurationOptions Redis() =>
        ConfigurationOptions.Parse(RedisConnectionString is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("Storage:Provider is 'redis' (or the role is 'gateway') but Redis:ConnectionString is not set."));

    /// <summary>Printing the settings never prints the Redis connection string: it may hold the password.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ClusterId = {ClusterId}, ServiceId = {ServiceId}, SiloPort = {SiloPort}, GatewayPort = {GatewayPort}, Redis = {(RedisConnectionString is null ? "none" : "(set)")}");
        return true;
    }

    public IPAddress AdvertisedAddress(IConfiguration configuration) =>
        IPAddress.Parse(configuration.GetValue("Orleans:AdvertisedIPAddress", "127.0.0.1")!);
}
