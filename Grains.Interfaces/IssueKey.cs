using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SandboxAgents;

/// <summary>
/// The one canonical name of a GitHub issue: <c>owner/repo#number</c>, owner and repository lower-cased.
/// It is the <see cref="ISandboxGrain"/> key, so every surface must build it here.
/// </summary>
[GenerateSerializer, Immutable, Alias("SandboxAgents.IssueKey")]
public sealed partial record IssueKey
{
    [Id(0)] public string Owner { get; }
    [Id(1)] public string Repository { get; }
    [Id(2)] public int Number { get; }

    public IssueKey(string owner, string repository, int number)
    {
        if (!OwnerPattern().IsMatch(owner ?? "")) throw new ArgumentException($"'{owner}' is not a GitHub owner name.", nameof(owner));
        if (!RepositoryPattern().IsMatch(repository ?? "") || repository is "." or "..")
            throw new ArgumentException($"'{repository}' is not a GitHub repository name.", nameof(repository));
        if (number <= 0) throw new ArgumentOutOfRangeException(nameof(number), number, "Issue numbers start at 1.");
        Owner = owner!.ToLowerInvariant();
        Repository = repository!.ToLowerInvariant();
        Number = number;
    }

    /// <summary><c>owner/repo</c>, lower-cased.</summary>
    public string RepositoryFullName => $"{Owner}/{Repository}";

    public override string ToString() => $"{Owner}/{Repository}#{Number.ToString(CultureInfo.InvariantCulture)}";

    public static IssueKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not an issue key of the form owner/repo#number.");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IssueKey? key)
    {
        key = null;
        var match = KeyPattern().Match(text ?? "");
        if (!match.Success) return false;
        if (!int.TryParse(match.Groups["number"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return false;
        var repository = match.Groups["repo"].Value;
        if (repository is "." or "..") return false;
        key = new IssueKey(match.Groups["owner"].Value, repository, number);
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")]
    private static partial Regex OwnerPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex("^(?<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?<repo>[A-Za-z0-9._-]{1,100})#(?<number>[0-9]{1,10})$")]
    private static partial Regex KeyPattern();
}
