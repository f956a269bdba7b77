using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// A local sandbox's id, derived from its name alone so that a repeated create finds the same folder: the name itself
/// when it is already short and made of [a-z0-9-]; otherwise a cleaned prefix plus a hash of the whole name, so that two
/// names that clean up alike still get different ids.
/// </summary>
public static class SandboxId
{
    public const int MaxLength = 63;
    private const int HashLength = 8;

    public static string FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (IsValid(name)) return name;

        var clean = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant()) clean.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        var prefix = clean.ToString().Trim('-');
        prefix = prefix.Length <= MaxLength - HashLength - 1 ? prefix : prefix[..(MaxLength - HashLength - 1)].TrimEnd('-');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        return prefix.Length == 0 ? hash : $"{prefix}-{hash}";
    }

    /// <summary>Whether the text can be a sandbox id: 1 to 63 of [a-z0-9-], not starting or ending with '-'.</summary>
    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id[0] != '-' && id[^1] != '-' && id.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c) || c == '-');
}
