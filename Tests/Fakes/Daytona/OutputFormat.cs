using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Tests.Fakes.Daytona;

/// <summary>How the daemon shapes command output, chosen from the request headers (API.md §4.3 table).</summary>
internal enum OutputFormat
{
    /// <summary>Markers stripped, no stdout/stderr split; logs as <c>text/plain</c>.</summary>
    Stripped,

    /// <summary>Raw log with markers, no split; logs as <c>text/plain</c>.</summary>
    Raw,

    /// <summary>Raw log with markers plus demultiplexed stdout and stderr; logs as JSON.</summary>
    Split,
}

internal static class OutputFormats
{
    public const string SdkVersionHeader = "X-Daytona-SDK-Version";
    public const string SplitOutputHeader = "X-Daytona-Split-Output";

    private static readonly Version SplitSince = new(0, 167, 0);
    private static readonly Version RawSince = new(0, 27, 0);

    public static OutputFormat For(HttpRequest request)
    {
        var version = request.Headers[SdkVersionHeader].ToString();
        if (version.Length == 0)
            return request.Headers[SplitOutputHeader].ToString().Equals("true", StringComparison.OrdinalIgnoreCase) ? OutputFormat.Raw : OutputFormat.Stripped;
        if (version.Contains("dev", StringComparison.OrdinalIgnoreCase)) return OutputFormat.Split;
        if (!TryParse(version, out var parsed)) return OutputFormat.Raw;
        return parsed >= SplitSince ? OutputFormat.Split : parsed >= RawSince ? OutputFormat.Raw : OutputFormat.Stripped;
    }

    /// <summary>Reads <c>major.minor.patch</c>, with an optional leading <c>v</c> and pre-release or build suffix.</summary>
    private static bool TryParse(string text, out Version version)
    {
        var core = text.TrimStart('v', 'V').Split('-', '+')[0];
        version = new Version();
        return core.Split('.').Length == 3 && Version.TryParse(core, out version!);
    }
}
