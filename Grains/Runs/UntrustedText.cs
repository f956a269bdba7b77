using System.Text;
using System.Text.RegularExpressions;

namespace SandboxAgents.Runs;

/// <summary>
/// Makes text the agent chose (its summary, errors carrying its words, its output, the hosts it tried) safe to put in
/// a GitHub comment or pull request body: it renders as text, notifies nobody, references and closes no issue, and
/// loads nothing. HTML is escaped, so no tag, <c>&lt;/details&gt;</c> or hidden comment survives; mentions (users and
/// teams), <c>#n</c>, <c>owner/repo#n</c>, <c>GH-n</c> and issue or pull request URLs get a zero-width space after the
/// character GitHub keys on, so no closing keyword finds a target; <c>![…]</c> loses its bracket, so no remote image
/// is fetched. The agent's code keeps looking like code: its code spans become <c>&lt;code&gt;</c> and its top-level
/// fenced blocks <c>&lt;pre&gt;</c>, their content escaped character by character, and a fence left open is closed.
/// </summary>
public static partial class UntrustedText
{
    private const string ZeroWidthSpace = "&#8203;";

    /// <summary>Markdown for a block of its own: at most <paramref name="maxLength"/> characters of the agent's text, then "…".</summary>
    public static string Markdown(string? text, int maxLength)
    {
        var visible = Visible(text, keepLineBreaks: true);
        var capped = visible.Length <= maxLength ? visible : IssueText.Cap(visible, maxLength) + "…";
        var output = new StringBuilder(capped.Length + capped.Length / 4);
        Fence? open = null;
        foreach (var line in capped.Split('\n'))
        {
            if (open is { } fence)
            {
                if (fence.IsClosedBy(line))
                {
                    output.Append("</pre>\n");
                    open = null;
                }
                else
                {
                    output.Append(Defuse(Escape(line))).Append('\n');
                }
            }
            else if (Fence.Opening(line) is { } opened)
            {
                output.Append("<pre>\n");
                open = opened;
            }
            else
            {
                output.Append(Inline(line)).Append('\n');
            }
        }

        if (open is not null) output.Append("</pre>\n");
        return output.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// The content of a one-line code span the caller writes between single backticks: no backtick, no line break,
    /// at most <paramref name="maxLength"/> characters and then "…". Null when nothing visible is left.
    /// </summary>
    public static string? CodeSpan(string? text, int maxLength)
    {
        var line = Visible(text, keepLineBreaks: false).Replace('`', '\'').Trim();
        if (line.Length == 0) return null;
        line = line.Length <= maxLength ? line : IssueText.Cap(line, maxLength) + "…";
        // GitHub links nothing inside a code span; the invisible space keeps it so if the span is ever lost.
        return CodeSpanTarget().Replace(line, "$0\u200B");
    }

    /// <summary>Without control characters, zero-width and direction-changing characters; line breaks as <c>\n</c> or spaces.</summary>
    private static string Visible(string? text, bool keepLineBreaks)
    {
        var lines = Invisible().Replace((text ?? "").ReplaceLineEndings("\n"), "");
        return keepLineBreaks ? lines : lines.Replace('\n', ' ');
    }

    /// <summary>A line outside fenced blocks: code spans become <c>&lt;code&gt;</c>, everything else escaped text.</summary>
    private static string Inline(string line)
    {
        var output = new StringBuilder(line.Length + 16);
        var at = 0;
        while (at < line.Length)
        {
            var opener = line.IndexOf('`', at);
            if (opener < 0)
            {
                output.Append(Text(line[at..]));
                break;
            }

            output.Append(Text(line[at..opener]));
            if (IsEscaped(line, opener))
            {
                // A backslash before it makes this backtick plain text, for GitHub as here; the rest of its run is not.
                output.Append('`');
                at = opener + 1;
                continue;
            }

            var run = RunLength(line, opener);
            var closer = FindRun(line, opener + run, run);
            if (closer < 0)
            {
                output.Insert(output.Length, "&#96;", run);
            }
            else
            {
                output.Append("<code>").Append(Literal(line[(opener + run)..closer])).Append("</code>");
            }

            at = closer < 0 ? opener + run : closer + run;
        }

        return output.ToString();
    }

    /// <summary>Text that stays markdown (emphasis, lists, links) but holds no HTML, image, math, mention or reference.</summary>
    private static string Text(string text) => Defuse(Image().Replace(Escape(text).Replace("$", "&#36;", StringComparison.Ordinal), "!&#91;"));

    /// <summary>
    /// Code content: every character markdown could act on becomes an entity, so it shows as written; mentions and
    /// references are defused as in text, in case the <c>&lt;code&gt;</c> around it is ever not taken as a tag.
    /// </summary>
    private static string Literal(string code)
    {
        var output = new StringBuilder(code.Length * 2);
        foreach (var c in code)
        {
            output.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '*' or '_' or '[' or ']' or '!' or '~' or '\\' or '`' or '|' or ':' or '$' => $"&#{(int)c};",
                _ => c.ToString(),
            });
        }

        return Defuse(output.ToString());
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>A zero-width space after the character a mention, an issue reference or an issue URL needs next to its name or number.</summary>
    private static string Defuse(string text) => Reference().Replace(text, "$0" + ZeroWidthSpace);

    /// <summary>True when an odd number of backslashes stands right before <paramref name="at"/>.</summary>
    private static bool IsEscaped(string line, int at)
    {
        var backslashes = 0;
        while (at - backslashes - 1 >= 0 && line[at - backslashes - 1] == '\\') backslashes++;
        return backslashes % 2 == 1;
    }

    private static int RunLength(string line, int start)
    {
        var end = start;
        while (end < line.Length && line[end] == '`') end++;
        return end - start;
    }

    /// <summary>Where the next run of exactly <paramref name="length"/> backticks starts, or -1.</summary>
    private static int FindRun(string line, int from, int length)
    {
        for (var at = line.IndexOf('`', from); at >= 0; at = line.IndexOf('`', at))
        {
            var run = RunLength(line, at);
            if (run == length) return at;
            at += run;
        }

        return -1;
    }

    /// <summary>A top-level fenced code block: up to three spaces, then three or more backticks or tildes.</summary>
    private readonly record struct Fence(char Mark, int Length)
    {
        public static Fence? Opening(string line)
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            if (indent > 3) return null;
            var rest = line.AsSpan(indent);
            if (rest.Length < 3 || rest[0] is not ('`' or '~')) return null;
            var length = rest.Length - rest.TrimStart(rest[0]).Length;
            if (length < 3) return null;
            // A backtick fence's info string holds no backtick; such a line is inline code, not a fence.
            if (rest[0] == '`' && rest[length..].Contains('`')) return null;
            return new Fence(rest[0], length);
        }

        public bool IsClosedBy(string line)
        {
            var trimmed = line.TrimEnd();
            var indent = trimmed.Length - trimmed.TrimStart(' ').Length;
            if (indent > 3) return false;
            var rest = trimmed.AsSpan(indent);
            return rest.Length >= Length && !rest.ContainsAnyExcept(Mark);
        }
    }

    [GeneratedRegex(@"[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]")]
    private static partial Regex Invisible();

    /// <summary><c>![</c>, once escaped text: the start of a markdown image (inline, reference or shortcut).</summary>
    [GeneratedRegex(@"!\[")]
    private static partial Regex Image();

    /// <summary>
    /// <c>@</c> before a user or organisation name; <c>#</c> before a number (<c>#n</c>, <c>owner/repo#n</c>), unless it
    /// opens a numeric entity this class wrote (an agent's own <c>&amp;</c> is escaped first);
    /// <c>GH-</c> before a number; <c>/issues/</c>, <c>/pull/</c>, <c>/pulls/</c>, <c>/discussions/</c> before a number (URLs).
    /// </summary>
    [GeneratedRegex(@"@(?=[A-Za-z0-9])|(?<!&)#(?=[0-9])|\bGH-(?=[0-9])|/(?:issues|pulls?|discussions)/(?=[0-9])", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex(@"@(?=[A-Za-z0-9])|#(?=[0-9])")]
    private static partial Regex CodeSpanTarget();
}
