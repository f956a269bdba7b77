using System.Text;

namespace SandboxAgents.Gateway.Webhooks;

/// <summary>
/// The two questions the routers ask of a comment or review body, answered over its UTF-8 bytes so that no string is
/// made of it: whether it is a command (what <see cref="WebhookCommandRouter.ParseComment"/> and
/// <see cref="PullRequestEventRouter.ParseComment"/> require before they read further: the prefix, ignoring case, after
/// any leading white space, then white space or the end) and whether it holds anything but white space.
/// </summary>
public static class CommentText
{
    private const int StackLimit = 128;

    public static bool IsCommand(ReadOnlySpan<byte> utf8, string prefix)
    {
        var text = utf8[LeadingWhiteSpace(utf8)..];
        // The prefix and the one character after it, decoded as the routers' strings would hold them.
        Span<char> head = prefix.Length <= StackLimit ? stackalloc char[StackLimit + 2] : new char[prefix.Length + 2];
        var count = 0;
        while (count <= prefix.Length && !text.IsEmpty)
        {
            Rune.DecodeFromUtf8(text, out var rune, out var consumed);
            count += rune.EncodeToUtf16(head[count..]);
            text = text[consumed..];
        }

        if (count < prefix.Length || !head[..prefix.Length].Equals(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        return count == prefix.Length || char.IsWhiteSpace(head[prefix.Length]);
    }

    /// <summary>The opposite of <see cref="string.IsNullOrWhiteSpace"/> for the decoded text.</summary>
    public static bool HasText(ReadOnlySpan<byte> utf8) => LeadingWhiteSpace(utf8) < utf8.Length;

    /// <summary>The bytes of white space the text starts with (an undecodable byte counts as text, as its replacement character would).</summary>
    private static int LeadingWhiteSpace(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length)
        {
            Rune.DecodeFromUtf8(utf8[offset..], out var rune, out var consumed);
            if (!Rune.IsWhiteSpace(rune)) break;
            offset += consumed;
        }

        return offset;
    }
}
