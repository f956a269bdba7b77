using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Bench.Load;

/// <summary>
/// The ceiling for a webhook acknowledgement on this machine: a bare Kestrel endpoint that reads the body and checks
/// its <c>X-Hub-Signature-256</c> (200 or 401), nothing else. Run as its own process by <c>Load ceiling</c>, so that it
/// and the Silo are measured the same way.
/// </summary>
public static class Ceiling
{
    public static async Task RunAsync(string url, string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var key = Encoding.UTF8.GetBytes(secret);
        app.MapGet("/healthz", () => "ok");
        app.MapPost(Deliveries.Path, async (HttpRequest request) =>
        {
            using var body = new MemoryStream((int)(request.ContentLength ?? 4096));
            await request.Body.CopyToAsync(body);
            return IsSigned(key, body.GetBuffer().AsSpan(0, (int)body.Length), request.Headers["X-Hub-Signature-256"])
                ? Results.Ok()
                : Results.Unauthorized();
        });
        await app.RunAsync();
    }

    private static bool IsSigned(byte[] key, ReadOnlySpan<byte> body, string? header)
    {
        const string prefix = "sha256=";
        if (header is not { Length: 71 } || !header.StartsWith(prefix, StringComparison.Ordinal)) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
