using SandboxAgents.Sandboxes.Local;

namespace SandboxAgents.Tests.Sandboxes;

/// <summary>
/// Sandbox users are claimed machine-wide: two service processes (two allocators on one registry) never hand out the
/// same user id, since killing a sandbox's processes kills everything its user runs.
/// </summary>
public sealed class SandboxUsersTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("sandbox-users-tests-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Registry => Path.Combine(_folder.FullName, "uids");

    private string Sandbox(string name) => Directory.CreateDirectory(Path.Combine(_folder.FullName, name)).FullName;

    [Fact]
    public void Allocate_FromTwoAllocatorsOnOneRegistry_NeverGivesTheSameUser()
    {
        var one = new SandboxUsers(Registry, 5000, 10);
        var other = new SandboxUsers(Registry, 5000, 10);

        var users = Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? one : other).Allocate(Sandbox($"s{i}"))).ToList();

        Assert.Equal(Enumerable.Range(5000, 10), users.Select(u => u.Uid).Order());
        Assert.Throws<SandboxAgents.Sandboxes.SandboxCapacityException>(() => one.Allocate(Sandbox("one-too-many")));
    }

    [Fact]
    public void Release_GivesTheUserBack_OnlyForItsOwnSandbox()
    {
        var users = new SandboxUsers(Registry, 5000, 2);
        var first = users.Allocate(Sandbox("a"));

        users.Release(first, Sandbox("not-a"));
        var second = users.Allocate(Sandbox("b"));
        users.Release(first, Path.Combine(_folder.FullName, "a"));
        var third = users.Allocate(Sandbox("c"));

        Assert.Equal((5000, 5001, 5000), (first.Uid, second.Uid, third.Uid));
    }

    [Fact]
    public void Allocate_ClaimWhoseSandboxIsGone_IsTakenOver()
    {
        var users = new SandboxUsers(Registry, 5000, 1);
        var gone = Sandbox("gone");
        users.Allocate(gone);
        Directory.Delete(gone);

        var user = users.Allocate(Sandbox("new"));

        Assert.Equal(5000, user.Uid);
        Assert.Equal(Path.Combine(_folder.FullName, "new"), File.ReadAllText(Path.Combine(Registry, "5000")));
    }
}
