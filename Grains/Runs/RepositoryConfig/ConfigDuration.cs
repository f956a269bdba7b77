using System.Globalization;
using System.Text.RegularExpressions;

namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>A time span as people write it in a config file: <c>30m</c>, <c>1h30m</c>, <c>90s</c> or <c>hh:mm:ss</c>.</summary>
public static partial class ConfigDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (Units().Match(text) is { Success: true } units && text.Length > 0)
        {
            duration = TimeSpan.FromHours(Number(units, "h")) + TimeSpan.FromMinutes(Number(units, "m")) + TimeSpan.FromSeconds(Number(units, "s"));
            return true;
        }

        if (!Clock().IsMatch(text)) return false;
        return TimeSpan.TryParseExact(text, @"h\:mm\:ss", CultureInfo.InvariantCulture, out duration)
            || TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out duration);
    }

    private static int Number(Match match, string unit) =>
        match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d{1,3})h)?(?:(?<m>\d{1,4})m)?(?:(?<s>\d{1,6})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Units();

    [GeneratedRegex(@"^\d{1,2}:[0-5]\d:[0-5]\d$", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();
}
