namespace SandboxAgents.Runs;

/// <summary>The program an agent command line starts: its first word that is not a <c>NAME=value</c> assignment.</summary>
public static class AgentExecutable
{
    /// <summary>The executable of <paramref name="command"/> (quotes removed), or null when it names none it can tell.</summary>
    public static string? Of(string command)
    {
        foreach (var word in command.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsAssignment(word)) continue;
            var name = word.Trim('"', '\'');
            return name.Length == 0 || name.Contains('$', StringComparison.Ordinal) ? null : name;
        }

        return null;
    }

    private static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && word[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(word[0]);
    }
}
