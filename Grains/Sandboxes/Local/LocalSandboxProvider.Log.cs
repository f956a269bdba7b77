using Microsoft.Extensions.Logging;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>What the local provider logs. Never a sandbox's environment: it holds secrets.</summary>
public sealed partial class LocalSandboxProvider
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Local sandboxes under {Root} are NOT isolated (Sandbox:Local:Isolation=none): agents run with this service's rights, see its files and processes, and share its network. Fit only for agents you trust.")]
    private partial void LogUnisolated(string root);

    [LoggerMessage(Level = LogLevel.Information, Message = "Local sandboxes under {Root} run inside bubblewrap ({Bubblewrap}) as {User}; network: {Network}")]
    private partial void LogIsolated(string root, string bubblewrap, string user, string network);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox:Network=host: sandboxes share this machine's network, loopback services included (this service's ports, Redis). Fit only for agents you trust.")]
    private partial void LogHostNetwork();

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox limits by {Mechanism}: {Processes} processes, {MemoryMegabytes} MB memory, {Cpus} CPUs, {DiskMegabytes} MB of files, {TmpMegabytes} MB /tmp")]
    private partial void LogLimits(string mechanism, int processes, int memoryMegabytes, double cpus, int diskMegabytes, int tmpMegabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox {SandboxId} created for {Name}")]
    private partial void LogCreated(string sandboxId, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sandbox {SandboxId}: command {CommandId} started as process group {ProcessGroup}")]
    private partial void LogStarted(string sandboxId, string commandId, int processGroup);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId}: command {CommandId} killed at its time-out of {Timeout}")]
    private partial void LogTimedOut(string sandboxId, string commandId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox {SandboxId} deleted")]
    private partial void LogDeleted(string sandboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {SandboxId} not fully deleted yet (processes stopped: {Stopped}, folder removed: {Removed}); asking again later finishes it")]
    private partial void LogDeleteIncomplete(string sandboxId, bool stopped, bool removed);
}
