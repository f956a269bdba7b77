using System.Net;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// One entry of <see cref="NetworkOptions.Allow"/>: an exact name, <c>*.</c> and a name (any name below it, not the
/// name itself), or an IP literal; with a port, only that port, else only 443.
/// </summary>
internal sealed record AllowRule(string Host, bool Wildcard, IPAddress? Address, int Port)
{
    public const int HttpsPort = 443;

    public bool IsAddress => Address is not null;

    /// <summary>Reads an entry; a malformed one throws <see cref="FormatException"/> naming it.</summary>
    public static AllowRule Parse(string entry)
    {
        var text = entry.Trim();
        var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        if (!HostPort.TryParse(wildcard ? text[2..] : text, out var parsed) || (wildcard && parsed.IsAddress))
            throw new FormatException($"'{entry}' is not a host name, *.name or IP literal with an optional :port.");
        return new AllowRule(parsed.Host, wildcard, parsed.Address, parsed.Port ?? HttpsPort);
    }

    /// <summary>Whether a tunnel target is this entry: names match names, addresses match the same address only.</summary>
    public bool Matches(HostPort target)
    {
        if (target.Port != Port) return false;
        if (IsAddress || target.IsAddress) return IsAddress && target.IsAddress && Address!.Equals(target.Address);
        return Wildcard ? target.Host.EndsWith("." + Host, StringComparison.Ordinal) : target.Host == Host;
    }
}
