using System.Net;
using System.Net.Sockets;

namespace Broadsheet.Comments;

/// <summary>Keeps only the network part of an address: IPv4 /24, IPv6 /48.</summary>
public static class IpPrivacy
{
    public static string? Truncate(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        Array.Clear(bytes, keep, bytes.Length - keep);
        return new IPAddress(bytes).ToString();
    }
}
