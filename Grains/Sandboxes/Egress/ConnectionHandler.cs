using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Serves one connection from a sandbox: reads one request head (in <see cref="NetworkOptions.RequestTimeout"/>),
/// then opens a tunnel for an allowed <c>CONNECT</c>, relays the model route, or refuses. Every connection carries one
/// request and is closed after it. Never throws: a connection's end is logged, not raised.
/// </summary>
internal sealed class ConnectionHandler(TunnelOpener tunnels, ModelRelay relay, TimeSpan requestTimeout, TimeProvider clock, ILogger logger)
{
    private static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);

    public async Task HandleAsync(string sandboxId, BlockedHostLog blocked, Socket client, CancellationToken stopping)
    {
        using var _ = client;
        using var input = new HttpInput(client);
        using var deadline = new CancellationTokenSource(requestTimeout, clock);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        try
        {
            if (await ReadHeadAsync(input, reading.Token, stopping) is not { } head) return;
            await RouteAsync(sandboxId, head, input, client, reading.Token, stopping);
        }
        catch (ProxyRefusal refusal)
        {
            await RefuseAsync(sandboxId, blocked, client, refusal, stopping);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            logger.ConnectionEnded(sandboxId, e);
        }
#pragma warning disable CA1031 // The boundary of a connection's own task: whatever went wrong, log it and close this connection only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.ConnectionFailed(sandboxId, e);
        }
    }

    /// <summary>The request head; null when the client closed or stayed silent without sending anything.</summary>
    private static async Task<RequestHead?> ReadHeadAsync(HttpInput input, CancellationToken reading, CancellationToken stopping)
    {
        try
        {
            return await input.ReadHeadAsync(reading) is { } text ? RequestHeadParser.Parse(text) : null;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return input.HasReceived ? throw ProxyRefusal.TimedOut() : null;
        }
    }

    private async Task RouteAsync(string sandboxId, RequestHead head, HttpInput input, Socket client, CancellationToken reading, CancellationToken stopping)
    {
        if (head.Method == "CONNECT")
        {
            if (!HostPort.TryParse(head.Target, out var target) || target.Port is null) throw ProxyRefusal.BadRequest("CONNECT needs host:port");
            using var upstream = await tunnels.OpenAsync(target, stopping);
            var sentAlready = input.Buffered.ToArray();
            input.Dispose(); // the head buffer is not held for the tunnel's life
            var shown = target.Display(AllowRule.HttpsPort);
            logger.TunnelOpened(sandboxId, shown);
            await ProxyResponse.SendEstablishedAsync(client, stopping);
            await Tunnel.RunAsync(client, sentAlready, upstream, stopping);
            return;
        }

        await relay.RunAsync(sandboxId, head, RequestTarget.ModelRest(head.Target), input, client, reading, stopping);
    }

    private async Task RefuseAsync(string sandboxId, BlockedHostLog blocked, Socket client, ProxyRefusal refusal, CancellationToken stopping)
    {
        if (refusal.BlockedHost is { } host)
        {
            if (blocked.Add(host)) logger.Refused(sandboxId, host, refusal.Message);
            else logger.RefusedAgain(sandboxId, host, refusal.Message);
        }
        else
        {
            logger.Answered(sandboxId, refusal.Status, refusal.Message);
        }

        try
        {
            await ProxyResponse.SendErrorAsync(client, refusal.Status, refusal.Message, stopping);
            await client.LingerAsync(LingerTime, clock, stopping);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.ConnectionEnded(sandboxId, e);
        }
    }
}
