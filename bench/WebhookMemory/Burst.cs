using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Bench.WebhookMemory;

/// <summary>What a burst's requests carry in <c>X-Hub-Signature-256</c>.</summary>
public enum Signing
{
    /// <summary><c>sha256=</c> and 64 hex digits, computed with a secret other than the service's.</summary>
    WrongSignature,

    /// <summary>No signature header at all.</summary>
    NoSignature,
}

/// <summary>How a burst went: the answers by status (or failure), and how long it took.</summary>
public sealed record BurstResult(IReadOnlyDictionary<string, int> Outcomes, TimeSpan Elapsed);

/// <summary>Sends <c>count</c> webhook deliveries of one body at the same moment, each on its own connection.</summary>
public static class Burst
{
    public static async Task<BurstResult> SendAsync(Uri service, byte[] body, int count, Signing signing)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = count, PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler) { BaseAddress = service, Timeout = TimeSpan.FromMinutes(2) };
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("not the service's secret"), body));
        using var start = new SemaphoreSlim(0, count);
        var watch = Stopwatch.StartNew();
        var sends = Enumerable.Range(0, count).Select(async i =>
        {
            await start.WaitAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/github/webhooks") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-GitHub-Event", "issues");
            request.Headers.Add("X-GitHub-Delivery", $"bench-{i}-{Guid.NewGuid():N}");
            request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/bench");
            if (signing == Signing.WrongSignature) request.Headers.Add("X-Hub-Signature-256", signature);
            try
            {
                using var response = await http.SendAsync(request);
                return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException e)
            {
                return $"failed ({e.HttpRequestError})";
            }
        }).ToList();
        start.Release(count);
        var outcomes = await Task.WhenAll(sends);
        return new BurstResult(outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count()), watch.Elapsed);
    }

    /// <summary>A JSON body of exactly <paramref name="bytes"/> bytes (a ping with a long zen).</summary>
    public static byte[] Body(int bytes)
    {
        var head = "{\"zen\":\""u8;
        var tail = "\",\"hook_id\":1}"u8;
        var body = new byte[bytes];
        head.CopyTo(body);
        body.AsSpan(head.Length, bytes - head.Length - tail.Length).Fill((byte)'z');
        tail.CopyTo(body.AsSpan(bytes - tail.Length));
        return body;
    }
}
