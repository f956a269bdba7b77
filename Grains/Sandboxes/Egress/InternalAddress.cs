using System.Net;
using System.Net.Sockets;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>
/// Addresses an allowed name must never lead to: this machine (loopback, unspecified), its networks (RFC 1918, ULA,
/// carrier-grade NAT, link-local with the cloud metadata service) and multicast or reserved space. IPv4 written inside
/// IPv6 (mapped, compatible, NAT64) is judged as IPv4.
/// </summary>
internal static class InternalAddress
{
    public static bool Contains(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedV4(address) is { } v4) address = v4;
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsInternalV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsInternalV6(address),
            _ => true,
        };
    }

    private static bool IsInternalV4(byte[] b) =>
        b[0] is 0 or 10 or 127 || b[0] >= 224 // this network, private, loopback, multicast, reserved, broadcast
        || (b[0] == 100 && b[1] is >= 64 and <= 127) // carrier-grade NAT
        || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata)
        || (b[0] == 172 && b[1] is >= 16 and <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
        || (b[0] == 198 && b[1] is 18 or 19); // benchmarking

    private static bool IsInternalV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }

    private static IPAddress? EmbeddedV4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback);
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        return compatible || nat64 ? new IPAddress(b.AsSpan(12, 4)) : null;
    }
}
