using System.Net;
using System.Text.RegularExpressions;

namespace SandboxAgents.Tests.Runs;

/// <summary>
/// What GitHub would act on in a markdown text, by its own rules, to check sanitised text against: mentions, issue
/// references, closing keywords and HTML tags. Its filters read the rendered text, so entities are decoded first
/// (an encoded <c>&amp;#64;</c> notifies as surely as an <c>@</c>); tags and images are read from the markdown itself.
/// </summary>
public static partial class GitHubRendering
{
    /// <summary>The service's own tags, which may stand in a comment or body; <c>code</c> and <c>pre</c> are the sanitiser's.</summary>
    private static readonly string[] ServiceTags = ["<details>", "</details>", "<summary>", "</summary>", "<sub>", "</sub>", "<code>", "</code>", "<pre>", "</pre>"];

    public static IReadOnlyList<string> Mentions(string markdown) => Matches(Mention(), WebUtility.HtmlDecode(markdown));

    public static IReadOnlyList<string> References(string markdown) => Matches(Reference(), WebUtility.HtmlDecode(markdown));

    public static IReadOnlyList<string> ClosingReferences(string markdown) => Matches(Closing(), WebUtility.HtmlDecode(markdown));

    /// <summary>Tags (and comments) other than the service's own, and the run marker comment.</summary>
    public static IReadOnlyList<string> RawHtml(string markdown)
    {
        var rest = Marker().Replace(markdown, "");
        foreach (var tag in ServiceTags) rest = rest.Replace(tag, "", StringComparison.Ordinal);
        return Matches(Tag(), rest);
    }

    public static bool HasImage(string markdown) => markdown.Contains("![", StringComparison.Ordinal);

    /// <summary>Everything a hostile text could get out of GitHub; empty when the text is safe.</summary>
    public static IReadOnlyList<string> Hazards(string markdown) =>
        [.. Mentions(markdown), .. References(markdown), .. ClosingReferences(markdown), .. RawHtml(markdown), .. HasImage(markdown) ? ["![…] image"] : Array.Empty<string>()];

    private static string[] Matches(Regex regex, string text) => [.. regex.Matches(text).Select(m => m.Value)];

    // A user or team: @name or @org/team, not inside a word or an e-mail address.
    [GeneratedRegex(@"(?<![A-Za-z0-9_`])@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?")]
    private static partial Regex Mention();

    // #n, owner/repo#n, GH-n, and issue or pull request URLs (with or without a scheme).
    [GeneratedRegex(@"(?:[\w.-]+/[\w.-]+)?#\d+|\bGH-\d+|/(?:issues|pulls?|discussions)/\d+", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    // GitHub's closing keywords, optional colon, then one of the references above.
    [GeneratedRegex(@"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+(?:(?:[\w.-]+/[\w.-]+)?#\d+|https?://\S+?/(?:issues|pull)/\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex Closing();

    [GeneratedRegex(@"<[/!A-Za-z?][^>]*>?")]
    private static partial Regex Tag();

    [GeneratedRegex(@"<!-- sandbox-agents run:[0-9a-f]+ -->")]
    private static partial Regex Marker();
}
