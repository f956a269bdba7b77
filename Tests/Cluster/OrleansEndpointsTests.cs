using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Cluster;

/// <summary>The one-process default (<c>Service:Role=all</c>) opens no Orleans gateway and keeps its silo port on loopback.</summary>
[Collection(LocalServiceCollection.Name)]
public sealed class OrleansEndpointsTests(LocalServiceFixture service)
{
    [Fact]
    public async Task AllRole_WorksWithoutAnOrleansGatewayPort_AndItsSiloPortIsOnLoopbackOnly()
    {
        var configuration = service.Services.GetRequiredService<IConfiguration>();
        var gatewayPort = configuration.GetValue<int>("Orleans:GatewayPort");
        var siloPort = configuration.GetValue<int>("Orleans:SiloPort");
        Assert.NotEqual(0, gatewayPort);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync(new Uri("/api/tasks", UriKind.Relative))).StatusCode);  // a grain answered

        var listeners = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners();

        Assert.DoesNotContain(listeners, l => l.Port == gatewayPort);
        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, gatewayPort));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        var silo = listeners.Where(l => l.Port == siloPort).ToList();
        Assert.NotEmpty(silo);
        Assert.All(silo, l => Assert.True(IPAddress.IsLoopback(l.Address), $"the silo listens on {l}"));
    }
}
