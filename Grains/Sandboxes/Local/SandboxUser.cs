namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// The host user a sandbox runs as (the service runs as root): its own id from a configured range, so that the
/// files it writes, the processes it starts and the per-user limits it meets are its own and nobody else's. Inside
/// the sandbox it is always user 1000 (<see cref="InsideId"/>).
/// </summary>
public sealed record SandboxUser(int Uid, int Gid)
{
    public const int InsideId = 1000;
    public const string InsideName = "agent";
}
