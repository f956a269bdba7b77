namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// The model route: <c>/model</c> and what follows it is the model API's path and query. Dot segments, encoded
/// slashes and backslashes are refused, so the rest can only add to <see cref="ModelApiOptions.ModelApiUrl"/>'s path,
/// never climb out of it.
/// </summary>
internal static class ModelRoute
{
    /// <summary>Whether an origin-form target is on the model route, and the rest after <c>/model</c>.</summary>
    public static bool TryMatch(string target, out string rest)
    {
        rest = "";
        if (!target.StartsWith(EgressEndpoint.ModelPath, StringComparison.Ordinal)) return false;
        rest = target[EgressEndpoint.ModelPath.Length..];
        return rest.Length == 0 || rest[0] is '/' or '?';
    }

    /// <summary>The upstream URL for the rest of a model route target.</summary>
    public static Uri Combine(Uri baseUrl, string rest)
    {
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rest : rest[..query];
        if (path.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(IsUnsafeSegment))
            throw ProxyRefusal.BadRequest("model path not accepted");
        var basePath = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (!Uri.TryCreate(basePath + rest, UriKind.Absolute, out var url) || url.Authority != baseUrl.Authority
            || !url.AbsolutePath.StartsWith(baseUrl.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal))
            throw ProxyRefusal.BadRequest("model path not accepted");
        return url;
    }

    /// <summary>Whether the upstream URL's path, below the base URL's, is one of the allowed paths.</summary>
    public static bool IsAllowed(Uri baseUrl, Uri url, IReadOnlyList<string> allowedPaths)
    {
        var below = url.AbsolutePath[baseUrl.AbsolutePath.TrimEnd('/').Length..];
        return allowedPaths.Any(p => string.Equals(below, p, StringComparison.Ordinal));
    }

    private static bool IsUnsafeSegment(string segment)
    {
        var decoded = Uri.UnescapeDataString(segment);
        return decoded is "." or ".." || decoded.Contains('/', StringComparison.Ordinal) || decoded.Contains('\\', StringComparison.Ordinal);
    }
}
