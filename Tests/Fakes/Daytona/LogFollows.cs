using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>
/// <c>GET …/command/{cmdId}/logs?follow=true</c> over WebSocket (API.md §4.3): binary frames of the log from its
/// start, then of each output chunk as it is appended (raw with markers, or stripped in combined mode), and a normal
/// close once the command's exit code is set and everything was sent. Frames hold at most <see cref="FrameBytes"/>
/// bytes, cut anywhere, so a marker or a UTF-8 character can straddle two of them. <see cref="DropAll"/> breaks every
/// open follow without a close, as a lost connection would.
/// </summary>
internal sealed class LogFollows
{
    private readonly Lock _gate = new();
    private CancellationTokenSource _drop = new();
    private int _open;

    /// <summary>The largest frame sent. Chosen here: the daemon sends what each read of its log file returned.</summary>
    public int FrameBytes { get; set; } = 4096;

    /// <summary>Follow connections open now.</summary>
    public int Open => Volatile.Read(ref _open);

    public void DropAll()
    {
        CancellationTokenSource dropped;
        lock (_gate)
        {
            dropped = _drop;
            _drop = new CancellationTokenSource();
        }

        dropped.Cancel();
        dropped.Dispose();
    }

    public async Task ServeAsync(HttpContext http, SessionCommand command, OutputFormat format)
    {
        CancellationToken drop;
        lock (_gate) drop = _drop.Token;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _open);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, drop);
        try
        {
            await SendUntilExitAsync(socket, command, format, ended.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ended.Token);
        }
        catch (OperationCanceledException) when (drop.IsCancellationRequested)
        {
            http.Abort();
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task SendUntilExitAsync(WebSocket socket, SessionCommand command, OutputFormat format, CancellationToken cancellationToken)
    {
        var output = command.Process.Output;
        var sent = 0;
        while (true)
        {
            // Exit code first: it is set only after the output is drained, so what is read after it is all there is.
            var exited = command.ExitCode is not null;
            var appended = output.Appended;
            var log = Encoding.UTF8.GetBytes(format == OutputFormat.Stripped ? output.Stripped : output.Raw);
            for (; sent < log.Length; sent += Math.Min(FrameBytes, log.Length - sent))
                await socket.SendAsync(log.AsMemory(sent, Math.Min(FrameBytes, log.Length - sent)), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            if (exited) return;
            await Task.WhenAny(appended, command.Process.Completion).WaitAsync(cancellationToken);
        }
    }
}
