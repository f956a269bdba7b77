using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SandboxAgents.Runs;

/// <summary>
/// Text as a reader of it on GitHub sees it: HTML comments (an unterminated one runs to the end, as GitHub renders
/// it) and characters that render as nothing are removed, so that no instruction reaches the agent that the people
/// reviewing the issue could not see.
/// </summary>
public static partial class VisibleText
{
    public static string Clean(string? text)
    {
        var visible = WithoutInvisibleCharacters(text ?? "");
        return HiddenComment().Replace(visible, "");
    }

    /// <summary>
    /// Zero-width and direction marks, word joiners and invisible operators, the byte-order mark, the soft hyphen, the
    /// tag block (U+E0000–U+E007F), and every other format character (Unicode category Cf).
    /// </summary>
    public static bool IsInvisible(Rune rune) => rune.Value switch
    {
        >= 0x200B and <= 0x200F or >= 0x202A and <= 0x202E or >= 0x2060 and <= 0x2064 or >= 0x2066 and <= 0x2069 => true,
        0xFEFF or 0x00AD => true,
        >= 0xE0000 and <= 0xE007F => true,
        _ => Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format,
    };

    private static string WithoutInvisibleCharacters(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            if (!IsInvisible(rune)) kept.Append(rune.ToString());
        return kept.ToString();
    }

    [GeneratedRegex(@"<!--.*?(?:-->|\z)", RegexOptions.Singleline)]
    private static partial Regex HiddenComment();
}
