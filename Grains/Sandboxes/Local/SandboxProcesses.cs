namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Ends every process of a sandbox: its commands' process groups, anything that left its group but kept the
/// command's session, and anything still working inside the sandbox's folder (a command that made itself a new
/// session with <c>setsid</c>). Under bubblewrap the PID namespace already takes all of them down with the group.
/// </summary>
internal static class SandboxProcesses
{
    private const int Rounds = 50;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Kills until a scan finds nothing left (true), or gives up after about a second (false). The pauses are real
    /// time on purpose: they wait for the kernel to end processes, not for the service's (possibly fake) clock.
    /// </summary>
    public static async Task<bool> KillAllAsync(LocalSandbox sandbox, CancellationToken cancellationToken)
    {
        var groups = sandbox.Groups().ToHashSet();
        var folder = sandbox.Directory + Path.DirectorySeparatorChar;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var group in groups) ProcessGroup.KillGroup(group);
            var survivors = HostProcess.All()
                .Where(p => p.Id != Environment.ProcessId && p.Id > 1)
                .Where(p => groups.Contains(p.Group) || groups.Contains(p.Session)
                    || (p.WorkingDirectory is { } cwd && (cwd + Path.DirectorySeparatorChar).StartsWith(folder, StringComparison.Ordinal)))
                .ToList();
            if (survivors.Count == 0) return true;
            foreach (var survivor in survivors) ProcessGroup.KillProcess(survivor.Id);
            await Task.Delay(Pause, cancellationToken);
        }

        return false;
    }
}
