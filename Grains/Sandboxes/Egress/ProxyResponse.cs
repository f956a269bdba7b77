using System.Net.Sockets;
using System.Text;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>The short answers the proxy writes itself: errors with a one-line reason, <c>100 Continue</c>, and a tunnel's <c>200</c>.</summary>
internal static class ProxyResponse
{
    private static readonly byte[] Established = "HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray();
    private static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };

    public static Task SendErrorAsync(Socket socket, int status, string reason, CancellationToken cancellationToken)
    {
        var body = reason + "\n";
        var text = $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
        return socket.SendAllAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    public static Task SendEstablishedAsync(Socket socket, CancellationToken cancellationToken) => socket.SendAllAsync(Established, cancellationToken);

    public static Task SendContinueAsync(Socket socket, CancellationToken cancellationToken) => socket.SendAllAsync(Continue, cancellationToken);
}
