using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SandboxAgents.Gateway.Webhooks;

namespace SandboxAgents.Bench;

/// <summary>The gate's HMAC check of a 10 KiB delivery (the size of a typical <c>issue_comment</c> payload and then some).</summary>
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    private const string Secret = "bench-webhook-secret";
    private readonly byte[] _body = RandomNumberGenerator.GetBytes(10 * 1024);
    private string _header = "";

    [GlobalSetup]
    public void Sign() => _header = WebhookSignature.Compute(Secret, _body);

    [Benchmark]
    public bool Verify10KiB() => WebhookSignature.IsValid(Secret, _body, _header);
}
