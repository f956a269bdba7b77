using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// Open-loop latency at a fixed rate, as wrk2 measures it (Debian has only wrk): request <c>i</c> is due at
/// <c>i / rate</c> and its latency is counted from then, not from when a connection was free to send it, so a stall
/// shows as the queue it builds (no coordinated omission). Plain sockets and pre-built requests, so that on two cores
/// the sender costs about what wrk costs. Bounded: it sends <c>rate × duration</c> requests, then stops.
/// </summary>
public static class FixedRate
{
    public static async Task<LoadResult> RunAsync(Uri target, IReadOnlyList<Delivery> deliveries, double rate, TimeSpan duration, int connections)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new long[total];
        var outcome = new long[3];
        var next = -1;
        var clock = Stopwatch.StartNew();
        var heads = deliveries.Select(d => Encoding.ASCII.GetBytes(
            $"POST {Deliveries.Path} HTTP/1.1\r\nHost: {target.Authority}\r\nUser-Agent: GitHub-Hookshot/bench\r\nContent-Type: application/json\r\n"
            + $"X-GitHub-Event: {d.Event}\r\nX-Hub-Signature-256: {d.Signature}\r\nContent-Length: {d.Body.Length.ToString(CultureInfo.InvariantCulture)}\r\n")).ToArray();

        async Task ConnectionAsync()
        {
            var connection = await HttpConnection.OpenAsync(target);
            try
            {
                for (var i = Interlocked.Increment(ref next); i < total; i = Interlocked.Increment(ref next))
                {
                    var due = TimeSpan.FromSeconds(i / rate);
                    if (due - clock.Elapsed is { TotalMilliseconds: > 1 } wait) await Task.Delay(wait);
                    var k = i % deliveries.Count;
                    try
                    {
                        var status = await connection.SendAsync(heads[k], $"X-GitHub-Delivery: bench-rate-{i}\r\n\r\n", deliveries[k].Body);
                        Interlocked.Increment(ref outcome[status is >= 200 and < 300 ? 0 : 1]);
                    }
                    catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
                    {
                        Interlocked.Increment(ref outcome[2]);
                        connection.Dispose();
                        connection = await HttpConnection.OpenAsync(target);
                    }

                    latencies[i] = (clock.Elapsed - due).Ticks;
                }
            }
            finally
            {
                connection.Dispose();
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(ConnectionAsync)));
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return new LoadResult(outcome[0] + outcome[1], elapsed, outcome[2], outcome[1],
            TimeSpan.FromTicks(Percentile(latencies, 0.50)), TimeSpan.FromTicks(Percentile(latencies, 0.99)));
    }

    private static long Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
