namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Hands out sandbox users from <see cref="LocalSandboxOptions.FirstUid"/>: each live sandbox a different one. The
/// ids in use are read from the sandboxes on disk when the provider starts, so a restart never reuses a live one.
/// </summary>
internal sealed class SandboxUsers(int first, int count)
{
    private readonly HashSet<int> _taken = [];
    private readonly Lock _lock = new();

    public void MarkTaken(SandboxUser user)
    {
        lock (_lock) _taken.Add(user.Uid);
    }

    public void Release(SandboxUser user)
    {
        lock (_lock) _taken.Remove(user.Uid);
    }

    /// <summary>The lowest free id; throws when the whole range is taken.</summary>
    public SandboxUser Allocate()
    {
        lock (_lock)
        {
            for (var uid = first; uid < first + count; uid++)
                if (_taken.Add(uid)) return new SandboxUser(uid, uid);
        }

        throw new SandboxCapacityException($"All {count} sandbox user ids from {first} are in use.");
    }
}
