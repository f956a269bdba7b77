namespace SandboxAgents.Sandboxes;

/// <summary>
/// The port to wherever sandboxes live (a local directory, Daytona). Paths are relative to the sandbox's working
/// directory; a path that escapes it is refused with <see cref="ArgumentException"/>. Faults throw
/// <see cref="SandboxException"/>; expected answers (a command still running, a sandbox already gone) are values.
/// </summary>
public interface ISandboxProvider
{
    /// <summary>Creates the sandbox, or returns the existing one of that name: safe to call again after a crash.</summary>
    Task<SandboxInfo> CreateAsync(SandboxSpec spec, CancellationToken cancellationToken);

    /// <summary>Runs a command to its end (or the time-out, which kills it) and returns its exit code and output.</summary>
    Task<ExecResult> ExecuteAsync(string sandboxId, string command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a command in the background and returns its id, to be watched with <see cref="GetCommandAsync"/>. The
    /// same command text started again in that sandbox (by a grain that took over after a crash, say) is not run twice:
    /// the id of the one already started comes back.
    /// </summary>
    Task<string> StartCommandAsync(string sandboxId, string command, CancellationToken cancellationToken);

    /// <summary>Whether a started command still runs, how it ended, and the last lines it printed.</summary>
    Task<CommandStatus> GetCommandAsync(string sandboxId, string commandId, int tailLines, CancellationToken cancellationToken);

    /// <summary>
    /// Follows a started command until it ends, handing each new output line (capped at
    /// <see cref="CommandStatus.MaxLineLength"/>) to <paramref name="onLine"/> as it comes, from any thread. Returns once
    /// the command has ended or is lost, or its sandbox has hit a resource limit (then <see cref="GetCommandAsync"/>
    /// tells which); cancelling stops the following,
    /// not the command. A broken follow (a dropped connection) throws <see cref="SandboxException"/>; the caller falls
    /// back to asking with <see cref="GetCommandAsync"/>.
    /// </summary>
    Task FollowCommandAsync(string sandboxId, string commandId, Action<string> onLine, CancellationToken cancellationToken);

    /// <summary>Writes the file (making its folders), replacing one that is there.</summary>
    Task UploadAsync(string sandboxId, string path, Stream content, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the file into <paramref name="destination"/>; false when it does not exist. A file larger than
    /// <paramref name="maxBytes"/> is not copied: <see cref="SandboxFileTooLargeException"/>.
    /// </summary>
    Task<bool> DownloadAsync(string sandboxId, string path, Stream destination, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Ends every process of the sandbox and deletes it. True once it is confirmed gone (also when it never existed);
    /// false when deletion is under way but not yet confirmed, so the caller asks again later.
    /// </summary>
    Task<bool> DeleteAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>The sandboxes carrying all of the given labels.</summary>
    Task<IReadOnlyList<SandboxInfo>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);
}
