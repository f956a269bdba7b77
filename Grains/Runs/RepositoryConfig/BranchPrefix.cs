namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>
/// What a repository's <c>branchPrefix</c> may be: the start of a valid git branch name once <c>issue-N-xxxx</c>
/// follows it (<c>bot/</c>, <c>agents/fix-</c>). Letters, digits and <c>. _ - /</c> only, so nothing git or a shell
/// reads specially.
/// </summary>
public static class BranchPrefix
{
    public const string Default = "agent/";

    public const int MaxLength = 50;

    /// <summary>Null when <paramref name="prefix"/> is usable, else what is wrong with it.</summary>
    public static string? Problem(string prefix)
    {
        if (prefix.Length is 0 or > MaxLength) return $"branchPrefix must have 1 to {MaxLength} characters";
        if (!prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            return "branchPrefix may hold only letters, digits and . _ - /";
        if (prefix[0] is '/' or '-' or '.' || prefix.Contains("..", StringComparison.Ordinal) || prefix.Contains("//", StringComparison.Ordinal))
            return "branchPrefix must not start with / - or . nor hold .. or //";
        if (prefix.Split('/').Any(p => p.StartsWith('.') || p.EndsWith(".lock", StringComparison.Ordinal)))
            return "branchPrefix must make a valid git branch name (no part may start with . or end with .lock)";
        return null;
    }
}
