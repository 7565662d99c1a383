using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Rrm.Notification.Application;

/// <summary>
/// Where webhooks may go. A webhook URL is given by a notification.admin, so without limits the service would call
/// anything it can reach from inside the network (the database, the broker's management port, the cloud metadata
/// service) and report in the notification's error what answered. Only https, to public addresses: checked when a
/// recipient is saved and again on the address actually connected to (<see cref="ConnectAsync"/>), so a name that
/// resolves elsewhere later (DNS rebinding) gains nothing. Notification:AllowHttpWebhooks and
/// Notification:AllowPrivateWebhookTargets lift this for local development and tests.
/// </summary>
internal sealed class WebhookTargets(IOptions<NotificationOptions> options)
{
    private static readonly TimeSpan SaveTimeLookup = TimeSpan.FromSeconds(3);

    /// <summary>Why the URL may not be a webhook's address; null when it may.</summary>
    public async Task<string?> ProblemAsync(string address, CancellationToken ct)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
            return "is not an https URL";
        if (url.Scheme == "http" && !options.Value.AllowHttpWebhooks)
            return "must be an https URL (http only where Notification:AllowHttpWebhooks is set, in local development)";
        if (options.Value.AllowPrivateWebhookTargets) return null;
        var host = url.IdnHost.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            using var lookup = CancellationTokenSource.CreateLinkedTokenSource(ct);
            lookup.CancelAfter(SaveTimeLookup);
            // A name that does not resolve now is accepted: the check at connect time still applies to whatever it becomes.
            try { addresses = await Dns.GetHostAddressesAsync(host, lookup.Token); }
            catch (ArgumentException) { return "has no valid host name"; } // too long, or not a name DNS can look up
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested)) { return null; }
        }
        return addresses.FirstOrDefault(a => !IsPublic(a)) is { } inside
            ? $"goes to {inside}, an address inside the network (loopback, private, link-local, CGNAT, multicast or unspecified); webhooks go to public https addresses"
            : null;
    }

    /// <summary>
    /// SocketsHttpHandler.ConnectCallback: resolves the host and connects only when every address it resolves to is
    /// public; the check is on the very addresses connected to.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (!options.Value.AllowPrivateWebhookTargets && (addresses.Length == 0 || !addresses.All(IsPublic)))
            throw new WebhookDestinationRefusedException();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// False for loopback, private (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10), CGNAT (100.64/10),
    /// unspecified or "this network" (0/8, ::), multicast, reserved and broadcast (240/4), and IPv6 forms embedding
    /// such an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96).
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)) return false;
            if ((b[0] & 0xFE) == 0xFC) return false; // fc00::/7 unique local
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return false;
            var embedsIpv4 = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 // ::a.b.c.d (deprecated "compatible")
                || b.AsSpan(0, 12).SequenceEqual(new byte[] { 0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0 }); // NAT64
            return !embedsIpv4 || IsPublic(new IPAddress(b.AsSpan(12, 4)));
        }
        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => false,
            100 => (v4[1] & 0xC0) != 64,           // 100.64.0.0/10 carrier-grade NAT
            169 => v4[1] != 254,                   // 169.254.0.0/16 link-local, the metadata service
            172 => (v4[1] & 0xF0) != 16,           // 172.16.0.0/12
            192 => v4[1] != 168,                   // 192.168.0.0/16
            >= 224 => false,                       // multicast, reserved, broadcast
            _ => true,
        };
    }
}

/// <summary>A webhook's destination resolved inside the network: the connection was not made.</summary>
internal sealed class WebhookDestinationRefusedException() : IOException("webhook refused: destination not allowed");
