using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SandboxAgents.Sandboxes.Egress;

namespace SandboxAgents.Runs;

/// <summary>
/// The credential a remote sandbox (Daytona) uses to reach the model API through the service's relay route instead of
/// holding the model key: it names one run, expires with the run's deadline, and is signed with a key derived from
/// <c>Agent:ModelApiKey</c> (so every process of a cluster that can relay can check it, and a new model key voids
/// them all). The relay also refuses it once the run has ended. Stealing it gains nothing the agent did not have.
/// </summary>
public sealed class ModelRelayTokens(IOptions<ModelApiOptions> model)
{
    private const string Version = "v1";

    public string Issue(IssueKey issue, string runId, DateTimeOffset expires)
    {
        var claims = $"{issue}|{runId}|{expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var encoded = Base64Url(Encoding.UTF8.GetBytes(claims));
        return $"{Version}.{encoded}.{Base64Url(Sign(encoded))}";
    }

    /// <summary>The run the token grants, or null when it is malformed, forged, or expired.</summary>
    public RelayGrant? Verify(string token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(model.Value.ModelApiKey) || token.Split('.') is not [Version, var encoded, var signature]) return null;
        if (!TryDecode(signature, out var given) || !CryptographicOperations.FixedTimeEquals(given, Sign(encoded))) return null;
        if (!TryDecode(encoded, out var bytes) || Encoding.UTF8.GetString(bytes).Split('|') is not [var issueText, var runId, var expiresText]) return null;
        if (!IssueKey.TryParse(issueText, out var issue) || !long.TryParse(expiresText, System.Globalization.CultureInfo.InvariantCulture, out var seconds)) return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return expires > now ? new RelayGrant(issue, runId, expires) : null;
    }

    private byte[] Sign(string encoded)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes("sandbox-agents model relay|" + (model.Value.ModelApiKey ?? "")));
        return HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(encoded));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var buffer = new byte[padded.Length];
        var decoded = Convert.TryFromBase64String(padded, buffer, out var written);
        bytes = decoded ? buffer[..written] : [];
        return decoded;
    }
}

/// <summary>What a relay token allows: model requests for this run until it expires (or the run ends).</summary>
public sealed record RelayGrant(IssueKey Issue, string RunId, DateTimeOffset Expires);
