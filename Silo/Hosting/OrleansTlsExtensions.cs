using Orleans.Hosting;

namespace SandboxAgents.Silo.Hosting;

/// <summary>Mutual TLS on every Orleans connection (silo to silo, client to gateway) when <c>Orleans:Tls</c> is configured.</summary>
public static class OrleansTlsExtensions
{
    public static ISiloBuilder UseOrleansTls(this ISiloBuilder silo, OrleansTlsCredentials? tls) =>
        tls is null ? silo : silo.UseTls(tls.Certificate, tls.Configure);

    public static IClientBuilder UseOrleansTls(this IClientBuilder client, OrleansTlsCredentials? tls) =>
        tls is null ? client : client.UseTls(tls.Certificate, tls.Configure);
}
