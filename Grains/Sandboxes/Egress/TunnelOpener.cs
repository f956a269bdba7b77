using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Turns a <c>CONNECT</c> target into a connected upstream socket, or a refusal. A target must match the allow list;
/// a name is resolved once and connected to only if none of its addresses is internal (so no allowed name can be
/// pointed at this machine or its networks), and the checked addresses are the ones connected to (no second lookup
/// to rebind). Only an IP literal entry, asked for as that literal, reaches an internal address.
/// </summary>
internal sealed class TunnelOpener(AllowList allow, TimeSpan connectTimeout, TimeProvider clock)
{
    public async Task<Socket> OpenAsync(HostPort target, CancellationToken cancellationToken)
    {
        var port = target.Port ?? AllowRule.HttpsPort;
        var shown = target.Display(AllowRule.HttpsPort);
        var rule = allow.Match(target) ?? throw ProxyRefusal.Forbidden(shown, $"{shown} is not on this sandbox's allow list");
        using var deadline = new CancellationTokenSource(connectTimeout, clock);
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            var addresses = target.Address is { } literal ? [literal] : await ResolveAsync(target.Host, connecting.Token);
            if (!rule.IsAddress && addresses.Any(InternalAddress.Contains))
                throw ProxyRefusal.Forbidden(shown, $"{shown} resolves to an internal address");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, port, connecting.Token);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ProxyRefusal(504, $"{shown} did not answer within {connectTimeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            throw new ProxyRefusal(502, $"could not connect to {shown} ({e.SocketErrorCode})");
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            return addresses.Length > 0 ? addresses : throw new ProxyRefusal(502, $"{host} has no address");
        }
        catch (SocketException e)
        {
            throw new ProxyRefusal(502, $"could not resolve {host} ({e.SocketErrorCode})");
        }
    }
}
