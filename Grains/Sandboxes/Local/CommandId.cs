using System.Security.Cryptography;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Ids of commands started in a local sandbox; they name files in its metadata folder, so they are checked.</summary>
internal static class CommandId
{
    private const string Prefix = "cmd-";
    private const int HexLength = 16;

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));

    public static bool IsValid(string? id) =>
        id is { Length: HexLength + 4 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiHexDigitLower);
}
