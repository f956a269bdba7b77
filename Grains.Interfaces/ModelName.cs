namespace SandboxAgents;

/// <summary>
/// What a model name may look like wherever it comes from (<c>Agent:Model</c>, a repository's <c>model</c>,
/// <c>/agent run --model</c>): it reaches the agent's command line, so only a short run of letters, digits and
/// <c>. - _ : / [ ]</c>.
/// </summary>
public static class ModelName
{
    public const int MaxLength = 100;

    /// <summary>Null when <paramref name="name"/> is a usable model name, else what is wrong with it.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a model name must not be empty";
        if (name.Length > MaxLength) return $"a model name has at most {MaxLength} characters";
        return name.All(IsAllowed) ? null : "a model name may hold only letters, digits and . - _ : / [ ]";
    }

    public static bool IsValid(string? name) => Problem(name) is null;

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '[' or ']';
}
