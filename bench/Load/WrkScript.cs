using System.Globalization;
using System.Text;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// A wrk Lua script that cycles through pre-signed deliveries (signing is not the client's cost to pay), each thread
/// from its own place, with a fresh <c>X-GitHub-Delivery</c> per request as GitHub gives; <c>done</c> prints one
/// <c>BENCH</c> line that <see cref="Wrk"/> reads.
/// </summary>
public static class WrkScript
{
    public static string Write(IReadOnlyList<Delivery> deliveries, Uri target)
    {
        var lua = new StringBuilder();
        lua.AppendLine("local heads = {");
        foreach (var delivery in deliveries)
        {
            var head = $"POST {Deliveries.Path} HTTP/1.1\r\nHost: {target.Authority}\r\nUser-Agent: GitHub-Hookshot/bench\r\n"
                + $"Content-Type: application/json\r\nX-GitHub-Event: {delivery.Event}\r\nX-Hub-Signature-256: {delivery.Signature}\r\n"
                + $"Content-Length: {delivery.Body.Length.ToString(CultureInfo.InvariantCulture)}\r\nX-GitHub-Delivery: bench-";
            lua.Append("  ").Append(Quoted(Encoding.ASCII.GetBytes(head))).AppendLine(",");
        }

        lua.AppendLine("}").AppendLine("local bodies = {");
        foreach (var delivery in deliveries) lua.Append("  ").Append(Quoted(delivery.Body)).AppendLine(",");
        lua.AppendLine("}");
        lua.Append("""
            local threads = 0
            function setup(thread)
              thread:set("tid", threads)
              threads = threads + 1
            end
            local i
            function init(args)
              i = tid * 7919
            end
            function request()
              i = i + 1
              local k = (i % #heads) + 1
              return heads[k] .. tid .. "-" .. i .. "\r\n\r\n" .. bodies[k]
            end
            function done(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d max_us=%d\n",
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(99), latency.max))
            end

            """);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bench-wrk-{Guid.NewGuid():N}.lua");
        File.WriteAllText(path, lua.ToString());
        return path;
    }

    /// <summary>A Lua string literal of exactly these bytes: printable ASCII as is, everything else as <c>\ddd</c>.</summary>
    private static string Quoted(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length + 16).Append('"');
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\') text.Append((char)b);
            else text.Append('\\').Append(b.ToString("000", CultureInfo.InvariantCulture));
        }

        return text.Append('"').ToString();
    }
}
