using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Egress;

/// <summary>What the egress proxy logs: sandbox ids, hosts, statuses and paths. Never a key, a header value or a body.</summary>
internal static partial class EgressLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Egress proxy for sandbox {SandboxId} listens on {SocketPath}")]
    public static partial void Opened(this ILogger logger, string sandboxId, string socketPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Egress proxy for sandbox {SandboxId} closed")]
    public static partial void Closed(this ILogger logger, string sandboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox {SandboxId}: egress to {Host} refused: {Reason}")]
    public static partial void Refused(this ILogger logger, string sandboxId, string host, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: egress to {Host} refused again: {Reason}")]
    public static partial void RefusedAgain(this ILogger logger, string sandboxId, string host, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: request answered {Status}: {Reason}")]
    public static partial void Answered(this ILogger logger, string sandboxId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: tunnel to {Host} open")]
    public static partial void TunnelOpened(this ILogger logger, string sandboxId, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: model request {Method} {Path} answered {Status}")]
    public static partial void ModelRequestAnswered(this ILogger logger, string sandboxId, string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId}: the model API could not be reached")]
    public static partial void ModelApiUnreachable(this ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId}: the model API broke off its answer")]
    public static partial void ModelResponseBroken(this ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId}: connection refused, {Limit} already open (Sandbox:Network:MaxConnectionsPerSandbox)")]
    public static partial void TooManyConnections(this ILogger logger, string sandboxId, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Egress proxy for sandbox {SandboxId}: accepting a connection failed")]
    public static partial void AcceptFailed(this ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: egress connection ended early")]
    public static partial void ConnectionEnded(this ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sandbox {SandboxId}: egress connection failed")]
    public static partial void ConnectionFailed(this ILogger logger, string sandboxId, Exception exception);
}
