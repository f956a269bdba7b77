using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using SandboxAgents.Runs;

namespace SandboxAgents.Bench;

/// <summary>Masking a 64 KiB agent log with a few secrets in it: the configured ones and token-shaped text.</summary>
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private const string WebhookSecret = "bench-webhook-secret";

    // Made up at each run in the shapes of a fine-grained GitHub token, an Anthropic key and a classic token, so that
    // nothing credential-shaped is kept in the repository.
    private static readonly string Token = "github_pat_" + Random(22) + "_" + Random(59);
    private static readonly string ModelKey = "sk-ant-api03-" + Random(40);
    private static readonly string FoundToken = "ghp_" + Random(36);
    private SecretRedactor _redactor = null!;
    private string _log = "";

    [GlobalSetup]
    public void Build()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GitHub:Token"] = Token,
            ["GitHub:WebhookSecret"] = WebhookSecret,
            ["Agent:ModelApiKey"] = ModelKey,
            ["Agent:Environment:NPM_TOKEN"] = "npm_bench_0123456789abcdef",
        }).Build();
        _redactor = new SecretRedactor(configuration, []);
        var log = new StringBuilder(64 * 1024);
        for (var line = 0; log.Length < 64 * 1024; line++)
        {
            log.Append("[tool] ran `dotnet test` in /workspace/src: 412 passed, 0 failed (line ").Append(line).Append(")\n");
            if (line % 100 == 7) log.Append("curl -H 'Authorization: token ").Append(Token).Append("' https://api.github.com/user\n");
            if (line % 250 == 11) log.Append("export ANTHROPIC_API_KEY=").Append(ModelKey).Append(' ').Append(FoundToken).Append('\n');
        }

        _log = log.ToString(0, 64 * 1024);
    }

    [Benchmark]
    public string Redact64KiB() => _redactor.Redact(_log);

    private static string Random(int length) =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}
