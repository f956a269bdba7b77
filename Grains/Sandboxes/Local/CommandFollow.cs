using System.Threading.Channels;

namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Follows a command's log file to the command's end without polling: a <see cref="FileSystemWatcher"/> on the
/// metadata folder wakes it when the log grows or the wrapper renames the exit file into place, and so does the
/// wrapper's own exit when this service started it. inotify can miss events, and a command started before a restart
/// of the service has no process here to wait on, so it also looks again every few seconds. It returns once the exit
/// file exists (after reading the rest of the log), or the wrapper or the command's whole process group is gone
/// without one (lost), or its sandbox has reached a resource limit (a fork bomb never ends on its own): the caller's
/// status read then says which.
/// </summary>
internal static class CommandFollow
{
    private static readonly TimeSpan SafetyCheck = TimeSpan.FromSeconds(5);

    /// <summary>Without a watcher (the inotify instances of the user are used up) the log is read this often instead.</summary>
    private static readonly TimeSpan UnwatchedCheck = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(
        LocalSandbox sandbox, string commandId, int group, Task? exited, Func<bool> limitReached, Action<string> onLine, CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = Watch(sandbox.Meta, commandId, changes.Writer);
        var lines = new OutputLines(onLine);
        var buffer = new byte[64 * 1024];
        FileStream? log = null;
        try
        {
            while (true)
            {
                // The exit code is written after the last output, and a gone group writes nothing more: what is read
                // after either was seen is all there is. Only the wrapper writes the exit code, so once it has ended
                // without one the command is lost, even while its killed processes wait to be reaped.
                var ended = sandbox.ExitCode(commandId) is not null || exited?.IsCompleted == true || !ProcessGroup.IsAlive(group) || limitReached();
                log ??= Open(sandbox.LogFile(commandId));
                if (log is not null) await ReadNewAsync(log, buffer, lines, cancellationToken);
                if (ended)
                {
                    lines.Complete();
                    return;
                }

#pragma warning disable VSTHRD003 // The wrapper's exit is completed by a process event on no synchronisation context.
                await WaitAsync(changes.Reader, exited, watcher is null ? UnwatchedCheck : SafetyCheck, cancellationToken);
#pragma warning restore VSTHRD003
            }
        }
        finally
        {
            if (log is not null) await log.DisposeAsync();
        }
    }

    private static async Task ReadNewAsync(FileStream log, byte[] buffer, OutputLines lines, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await log.ReadAsync(buffer, cancellationToken)) > 0) lines.Write(buffer.AsSpan(0, read));
    }

    /// <summary>Until something changed, the wrapper exited, or the safety interval passed.</summary>
    private static async Task WaitAsync(ChannelReader<bool> changes, Task? exited, TimeSpan check, CancellationToken cancellationToken)
    {
        Task wake = changes.WaitToReadAsync(cancellationToken).AsTask();
        if (exited is not null) wake = Task.WhenAny(wake, exited);
        try
        {
            await wake.WaitAsync(check, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Time for the safety re-check.
        }

        changes.TryRead(out _);
    }

    private static FileSystemWatcher? Watch(string folder, string commandId, ChannelWriter<bool> changes)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(folder, commandId + ".*") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            watcher.Changed += (_, _) => changes.TryWrite(true);
            watcher.Created += (_, _) => changes.TryWrite(true);
            watcher.Renamed += (_, _) => changes.TryWrite(true);
            watcher.Error += (_, _) => changes.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // No inotify instance left, or the sandbox was deleted meanwhile: the slower re-check still ends the follow.
            watcher?.Dispose();
            return null;
        }
    }

    private static FileStream? Open(string file)
    {
        try
        {
            return new FileStream(file, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
