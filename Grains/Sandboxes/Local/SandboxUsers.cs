namespace SandboxAgents.Sandboxes.Local;

/// <summary>
/// Hands out sandbox users from <see cref="LocalSandboxOptions.FirstUid"/>, each live sandbox a different one on this
/// machine, whichever service process made it: a user id is taken by creating <c>{registry}/{uid}</c> exclusively,
/// naming the sandbox's folder, and given back when the sandbox is deleted. (A sandbox's processes are ended by
/// killing everything its user runs, so two sandboxes must never share one.) A claim whose sandbox folder is gone
/// (a crash, a reboot) is taken over.
/// </summary>
internal sealed class SandboxUsers(string registry, int first, int count)
{
    public SandboxUser Allocate(string sandboxDirectory)
    {
        Directory.CreateDirectory(registry);
        for (var uid = first; uid < first + count; uid++)
        {
            var claim = Path.Join(registry, uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (TryClaim(claim, sandboxDirectory) || (TryReclaimStale(claim) && TryClaim(claim, sandboxDirectory)))
                return new SandboxUser(uid, uid);
        }

        throw new SandboxCapacityException($"All {count} sandbox user ids from {first} are in use (see {registry}).");
    }

    public void Release(SandboxUser user, string sandboxDirectory)
    {
        var claim = Path.Join(registry, user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Owner(claim) == sandboxDirectory) File.Delete(claim);
    }

    private static bool TryClaim(string claim, string sandboxDirectory)
    {
        try
        {
            using var file = new FileStream(claim, FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(sandboxDirectory));
            return true;
        }
        catch (IOException) when (File.Exists(claim))
        {
            return false;
        }
    }

    /// <summary>Moves a claim aside when its sandbox no longer exists; the rename lets only one process win it.</summary>
    private static bool TryReclaimStale(string claim)
    {
        var owner = Owner(claim);
        if (owner is null || Directory.Exists(owner)) return false;
        try
        {
            var aside = claim + "." + Guid.NewGuid().ToString("N") + ".stale";
            File.Move(claim, aside);
            File.Delete(aside);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? Owner(string claim)
    {
        try
        {
            return File.ReadAllText(claim);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
