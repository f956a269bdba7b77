using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// A host and an optional port as written in an authority (<c>name:443</c>, <c>10.0.0.1</c>, <c>[::1]:9000</c>). Names
/// are lower-case ASCII without a trailing dot; IP literals (in any form the parser takes) carry their address and are
/// shown canonically, so the text can be logged and compared safely.
/// </summary>
internal readonly record struct HostPort(string Host, IPAddress? Address, int? Port)
{
    private const int MaxNameLength = 253;

    public bool IsAddress => Address is not null;

    public static bool TryParse(string text, out HostPort value)
    {
        value = default;
        if (!TrySplit(text, out var host, out var portText, out var bracketed)) return false;
        int? port = null;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535) return false;
            port = number;
        }

        if (bracketed)
        {
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            value = new HostPort($"[{v6}]", v6, port);
            return true;
        }

        if (IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork)
        {
            value = new HostPort(v4.ToString(), v4, port);
            return true;
        }

        if (!TryNormaliseName(host, out var name)) return false;
        value = new HostPort(name, null, port);
        return true;
    }

    /// <summary>The text to show and record: the host, with the port unless it is <paramref name="usualPort"/>.</summary>
    public string Display(int usualPort) => Port is { } port && port != usualPort ? $"{Host}:{port}" : Host;

    private static bool TrySplit(string text, out string host, out string? port, out bool bracketed)
    {
        host = text;
        port = null;
        bracketed = text.StartsWith('[');
        if (bracketed)
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return false;
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length == 0) return true;
            if (rest[0] != ':') return false;
            port = rest[1..];
            return true;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0) return true;
        host = text[..colon];
        port = text[(colon + 1)..];
        return !host.Contains(':', StringComparison.Ordinal);
    }

    private static bool TryNormaliseName(string host, out string name)
    {
        name = host.ToLowerInvariant();
        if (name.EndsWith('.')) name = name[..^1];
        if (name.Length is 0 or > MaxNameLength) return false;
        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63) return false;
            if (!label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')) return false;
        }

        return true;
    }
}
