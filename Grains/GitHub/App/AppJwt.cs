using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SandboxAgents.Runs;

namespace SandboxAgents.GitHub.App;

/// <summary>
/// The App's JSON web token, signed RS256 with its private key: <c>iat</c> a minute in the past (GitHub's allowance
/// for clock drift), <c>exp</c> nine minutes ahead (GitHub allows ten), <c>iss</c> the App's id. Only <c>/app</c>
/// endpoints take it.
/// </summary>
public sealed class AppJwt : IDisposable
{
    public static readonly TimeSpan Backdating = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    private static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}""");
    private readonly Lazy<RSA> _key;
    private readonly string _issuer;
    private readonly TimeProvider _clock;

    public AppJwt(IOptions<GitHubOptions> options, [FromKeyedServices(RunClock.Key)] TimeProvider clock)
    {
        _issuer = options.Value.AppId ?? throw new InvalidOperationException("GitHub:AppId is not set.");
        _key = new(() => AppPrivateKey.Load(options.Value));
        _clock = clock;
    }

    public string Create()
    {
        var now = _clock.GetUtcNow();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = (now - Backdating).ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iss"] = _issuer,
        });
        var signingInput = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(claims);
        var signature = _key.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.Dispose();
    }
}
