using System.Security.Cryptography;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>Ids of commands started in a local sandbox; they name files in its metadata folder, so they are checked.</summary>
internal static class CommandId
{
    private const string Prefix = "cmd-";
    private const int HexLength = 16;

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));

    /// <summary>The id a background command's text always gets, so that starting it again finds the one already started.</summary>
    public static string For(string command) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(command)))[..HexLength];

    public static bool IsValid(string? id) =>
        id is { Length: HexLength + 4 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiHexDigitLower);
}
