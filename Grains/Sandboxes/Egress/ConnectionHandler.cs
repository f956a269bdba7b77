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
            if (await input.ReadHeadAsync(reading.Token) is not { } text) return;
            await RouteAsync(sandboxId, RequestHeadParser.Parse(text), input, client, reading.Token, stopping);
        }
        catch (ProxyRefusal refusal)
        {
            await RefuseAsync(sandboxId, blocked, client, refusal, stopping);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            if (input.HasReceived) await RefuseAsync(sandboxId, blocked, client, new ProxyRefusal(408, "request not received in time"), stopping);
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

        var rest = ModelRest(head.Target);
        await relay.RunAsync(sandboxId, head, rest, input, client, reading, stopping);
    }

    /// <summary>The path and query after <c>/model</c> for a model request (origin-form, or absolute-form to this proxy); anything else is refused.</summary>
    private static string ModelRest(string target)
    {
        if (target.StartsWith('/'))
            return ModelRoute.TryMatch(target, out var rest) ? rest : throw new ProxyRefusal(403, "this proxy serves CONNECT to allowed hosts and /model/ only");
        var scheme = target.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0 || target[..scheme].ToLowerInvariant() is not ("http" or "https")) throw ProxyRefusal.BadRequest("malformed request target");
        var afterScheme = target[(scheme + 3)..];
        var authorityEnd = afterScheme.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
        var pathAndQuery = authorityEnd < 0 ? "/" : afterScheme[authorityEnd..];
        if (authority.Contains('@', StringComparison.Ordinal) || !HostPort.TryParse(authority, out var host)) throw ProxyRefusal.BadRequest("malformed request target");
        var isHttp = target[..scheme].Equals("http", StringComparison.OrdinalIgnoreCase);
        if (isHttp && host.Host is "localhost" or "127.0.0.1" && host.Port == EgressEndpoint.SandboxPort && ModelRoute.TryMatch(pathAndQuery, out var modelRest))
            return modelRest;
        var shown = host.Display(isHttp ? 80 : AllowRule.HttpsPort);
        throw ProxyRefusal.Forbidden(shown, $"plain HTTP to {shown} is refused: only HTTPS (CONNECT) to allowed hosts goes out");
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
