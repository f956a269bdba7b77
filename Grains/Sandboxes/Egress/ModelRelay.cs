using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Serves the model route: the request goes to <see cref="ModelApiOptions.ModelApiUrl"/> with the service's key in
/// place of whatever the agent sent, and the answer streams back as it arrives. The agent never sees the key; no body
/// and no key is logged.
/// </summary>
internal sealed class ModelRelay(IHttpClientFactory httpClients, ModelApiOptions modelApi, long maxBodyBytes, TimeProvider clock, ILogger logger)
{
    public async Task RunAsync(string sandboxId, RequestHead head, string rest, HttpInput input, Socket client, CancellationToken reading, CancellationToken stopping)
    {
        if (string.IsNullOrWhiteSpace(modelApi.ModelApiKey)) throw new ProxyRefusal(503, "the service has no model key configured");
        var url = ModelRoute.Combine(modelApi.ModelApiUrl, rest);
        if (!ModelRoute.IsAllowed(modelApi.ModelApiUrl, url, modelApi.EffectiveAllowedPaths))
            throw new ProxyRefusal(404, "this model API path is not open to sandboxes");
        var body = await ReadBodyAsync(head, input, client, reading, stopping);
        input.Dispose(); // the head buffer is not held while the model answers

        using var request = new HttpRequestMessage(new HttpMethod(head.Method), url);
        if (body is not null) request.Content = new ByteArrayContent(body);
        ForwardedHeaders.CopyToRequest(head, request, modelApi.ModelApiKey);

        // An agent that hangs up cancels its request upstream: the model would otherwise go on generating (and billing).
        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var watching = WatchForHangUpAsync(client, clientGone);
        try
        {
            using var response = await SendAsync(sandboxId, request, clientGone.Token);
            logger.ModelRequestAnswered(sandboxId, head.Method, url.AbsolutePath, (int)response.StatusCode);
            await ModelResponseWriter.WriteAsync(client, head, response, clientGone.Token);
        }
        catch (IOException e)
        {
            // The model API broke off mid-answer: the unfinished chunked body tells the agent so.
            logger.ModelResponseBroken(sandboxId, e);
        }
        finally
        {
            await clientGone.CancelAsync();
            await watching;
        }
    }

    private async Task<byte[]?> ReadBodyAsync(RequestHead head, HttpInput input, Socket client, CancellationToken reading, CancellationToken stopping)
    {
        try
        {
            return await RequestBody.ReadAsync(head, input, maxBodyBytes, () => ProxyResponse.SendContinueAsync(client, stopping), reading);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw ProxyRefusal.TimedOut();
        }
    }

    /// <summary>
    /// Cancels when the agent closes its side: after its one request it has nothing more to send, so the end of its
    /// stream means it is gone. Bytes it does send (a pipelined request, which is not served) end the watch.
    /// </summary>
    private static async Task WatchForHangUpAsync(Socket client, CancellationTokenSource clientGone)
    {
        var one = new byte[1];
        try
        {
            if (await client.ReceiveAsync(one, SocketFlags.None, clientGone.Token) == 0) await clientGone.CancelAsync();
        }
        catch (SocketException)
        {
            await clientGone.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The relay is done, or the proxy is closing.
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string sandboxId, HttpRequestMessage request, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(modelApi.ModelApiTimeout, clock);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stopping);
        try
        {
            return await httpClients.CreateClient(ModelApiOptions.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, waiting.Token);
        }
        catch (HttpRequestException e)
        {
            logger.ModelApiUnreachable(sandboxId, e);
            throw new ProxyRefusal(502, "the model API could not be reached");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            throw new ProxyRefusal(504, "the model API did not answer in time");
        }
    }
}
