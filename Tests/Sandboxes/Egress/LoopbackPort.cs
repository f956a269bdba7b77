using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Tests.Sandboxes.Egress;

public static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on (the system just handed it out and it was let go at once).</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
