using System.Net;
using System.Net.WebSockets;

namespace SandboxAgents.Sandboxes.Daytona;

/// <summary>
/// Follows one session command's log over the toolbox's WebSocket (<c>…/logs?follow=true</c>, API.md §4.3): the
/// daemon sends the log from its start and then as it grows, in binary frames, and closes normally once the command
/// has ended. Nothing else is asked while following. The connection is replaced every
/// <see cref="DaytonaOptions.FollowRenewInterval"/>: opening it is a toolbox request, which is what Daytona counts as
/// activity (API.md §1), so a followed sandbox is not auto-stopped; the new one sends the log from its start again,
/// and the bytes already handed over are skipped.
/// </summary>
internal sealed class DaytonaLogFollow(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, DaytonaOptions options, TimeProvider clock, Action<string> onLine)
{
    private readonly DaytonaStreamDemultiplexer _lines = new(onLine);
    private long _delivered;

    /// <summary>Returns once the command has ended, or at once when the daemon does not know it (404): lost.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using var socket = await ConnectAsync(cancellationToken);
            if (socket is null) return;
            if (await ReceiveUntilEndAsync(socket, cancellationToken))
            {
                _lines.Complete();
                return;
            }
        }
    }

    /// <summary>The open socket, or null when the command is unknown.</summary>
    private async Task<ClientWebSocket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers) socket.Options.SetRequestHeader(name, value);
        using var timeout = new CancellationTokenSource(options.AttemptTimeout, clock);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await socket.ConnectAsync(url, connect.Token);
            return socket;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == HttpStatusCode.NotFound) return null;
            throw new SandboxException($"Following the log at {url.AbsolutePath} failed to connect{(status == 0 ? "" : $" ({(int)status})")}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True once the daemon closed normally (the command ended); false when it is time to renew the connection.</summary>
    private async Task<bool> ReceiveUntilEndAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var renewal = new CancellationTokenSource(options.FollowRenewInterval, clock);
        using var receive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, renewal.Token);
        var buffer = new byte[16 * 1024];
        long received = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), receive.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException && renewal.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return false; // cancelling a receive aborts the socket, which is being replaced anyway
            }
            catch (WebSocketException ex)
            {
                throw new SandboxException($"Following the log at {url.AbsolutePath} broke off: {ex.Message}", ex);
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.CloseStatus != WebSocketCloseStatus.NormalClosure)
                    throw new SandboxException($"Following the log at {url.AbsolutePath} was closed with {socket.CloseStatus} ({socket.CloseStatusDescription}).");
                await AcknowledgeCloseAsync(socket);
                return true;
            }

            // A renewed connection starts from the beginning of the log again.
            var fresh = buffer.AsSpan(0, result.Count);
            var skip = (int)Math.Clamp(_delivered - received, 0, fresh.Length);
            received += result.Count;
            if (skip == fresh.Length) continue;
            _lines.Write(fresh[skip..]);
            _delivered += fresh.Length - skip;
        }
    }

    private static async Task AcknowledgeCloseAsync(ClientWebSocket socket)
    {
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The daemon may already have dropped the connection after its close: the command has ended either way.
        }
    }
}
