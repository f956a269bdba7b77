using System.Security.Cryptography;
using System.Text;

namespace SandboxAgents.Gateway.Api;

/// <summary>Compares a given key with <c>Api:Key</c> in constant time, lengths included (both are hashed first).</summary>
public static class OperatorKey
{
    public static bool Matches(string? given, string? key) =>
        !string.IsNullOrEmpty(key) && given is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
