using System.Globalization;
using System.Text;

namespace SandboxAgents.Runs.Progress;

/// <summary>Agent-chosen text made fit for one short line: no control or invisible characters, spaces collapsed, capped.</summary>
internal static class ActivityText
{
    public static string Clean(string? text, int maxLength) => Clean(text.AsSpan(), maxLength);

    public static string Clean(ReadOnlySpan<char> text, int maxLength)
    {
        if (text.IsEmpty) return "";
        var line = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var space = false;
        foreach (var c in text)
        {
            if (line.Length > maxLength) break;
            if (char.IsWhiteSpace(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (char.IsControl(c)) continue;

            // Zero-width, direction-changing and other format characters hide or reorder what a reader sees.
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator) continue;
            if (space) line.Append(' ');
            space = false;
            line.Append(c);
        }

        if (line.Length <= maxLength) return line.ToString();
        var cut = maxLength;
        if (char.IsHighSurrogate(line[cut - 1])) cut--; // never split a character in two
        return line.ToString(0, cut) + "…";
    }

    /// <summary>The first line of the text that has something visible on it.</summary>
    public static string FirstLine(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var cleaned = Clean(line, maxLength);
            if (cleaned.Length > 0) return cleaned;
        }

        return "";
    }
}
