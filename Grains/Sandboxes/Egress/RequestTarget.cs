namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// What a request other than <c>CONNECT</c> may ask for: the model route, as origin-form (<c>/model/...</c>) or as
/// absolute-form to this proxy itself (<c>http://127.0.0.1:3128/model/...</c>, <c>http://localhost:3128/model/...</c>,
/// sent by a client that ignores <c>NO_PROXY</c>). Absolute-form to any other host is refused and its host recorded:
/// nothing leaves as plain HTTP.
/// </summary>
internal static class RequestTarget
{
    /// <summary>The path and query after <c>/model</c>, or a refusal.</summary>
    public static string ModelRest(string target)
    {
        if (target.StartsWith('/'))
            return ModelRoute.TryMatch(target, out var rest) ? rest : throw new ProxyRefusal(403, "this proxy serves CONNECT to allowed hosts and /model/ only");

        var schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? target[..schemeEnd].ToLowerInvariant() : "";
        if (scheme is not ("http" or "https")) throw ProxyRefusal.BadRequest("malformed request target");
        var afterScheme = target[(schemeEnd + 3)..];
        var authorityEnd = afterScheme.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
        var pathAndQuery = authorityEnd < 0 ? "/" : afterScheme[authorityEnd..];
        if (authority.Contains('@', StringComparison.Ordinal) || !HostPort.TryParse(authority, out var host)) throw ProxyRefusal.BadRequest("malformed request target");

        var isHttp = scheme == "http";
        if (isHttp && IsThisProxy(host) && ModelRoute.TryMatch(pathAndQuery, out var modelRest)) return modelRest;
        var shown = host.Display(isHttp ? 80 : AllowRule.HttpsPort);
        throw ProxyRefusal.Forbidden(shown, isHttp
            ? $"plain HTTP to {shown} is refused: only HTTPS (CONNECT) to allowed hosts goes out"
            : $"proxied https:// requests to {shown} are refused: only CONNECT tunnels to allowed hosts go out");
    }

    private static bool IsThisProxy(HostPort host) => host.Host is "localhost" or "127.0.0.1" && host.Port == EgressEndpoint.SandboxPort;
}
