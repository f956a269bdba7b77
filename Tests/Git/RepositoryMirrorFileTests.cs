using SandboxAgents.Git;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Git;

/// <summary>The mirror reads one file of a run's base commit, and only of that commit.</summary>
public sealed class RepositoryMirrorFileTests : IDisposable
{
    private const string ConfigPath = ".github/sandbox-agents.yml";
    private readonly MirrorWorld _world = new();

    public void Dispose() => _world.Dispose();

    /// <summary>Pushes a commit that writes <paramref name="path"/> to <paramref name="branch"/> of the remote.</summary>
    private void PushFile(string branch, string path, string content)
    {
        var seed = Path.Combine(_world.Root, "seed-" + Guid.NewGuid().ToString("N")[..8]);
        BareRepository.Git(_world.Root, "clone", "--quiet", _world.Remote.Path, seed);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(seed, path))!);
        MirrorWorld.Commit(seed, path, content);
        BareRepository.Git(seed, "push", "--quiet", "origin", $"HEAD:{branch}");
    }

    private async Task<CommittedFile?> ReadAtBaseAsync(string path = ConfigPath, int maxBytes = 1024)
    {
        var start = await _world.Mirror.PrepareAsync(MirrorWorld.Issue, MirrorWorld.RunId, CancellationToken.None);
        return await _world.Mirror.ReadFileAsync(MirrorWorld.Issue, start.Commit, path, maxBytes, CancellationToken.None);
    }

    [Fact]
    public async Task FileOnTheDefaultBranch_IsRead()
    {
        PushFile("main", ConfigPath, "maxTurns: 7\n");

        var file = await ReadAtBaseAsync();

        Assert.Equal(new CommittedFile(12, "maxTurns: 7\n"), file);
    }

    [Fact]
    public async Task FileOnlyOnAnotherBranch_IsNotThere()
    {
        PushFile("feature", ConfigPath, "maxTurns: 7\n");

        Assert.Null(await ReadAtBaseAsync());
    }

    [Fact]
    public async Task FileLargerThanAllowed_IsNotRead()
    {
        PushFile("main", ConfigPath, new string('x', 2000));

        var file = await ReadAtBaseAsync(maxBytes: 1024);

        Assert.Equal(new CommittedFile(2000, null), file);
        Assert.True(file!.TooLarge);
    }

    [Fact]
    public async Task FolderByThatName_IsNotAFile()
    {
        PushFile("main", ConfigPath + "/inside.txt", "x\n");

        Assert.Null(await ReadAtBaseAsync());
    }

    [Fact]
    public async Task CommitTheMirrorLacks_IsAFault()
    {
        await ReadAtBaseAsync();

        await Assert.ThrowsAsync<GitException>(() =>
            _world.Mirror.ReadFileAsync(MirrorWorld.Issue, new string('e', 40), ConfigPath, 1024, CancellationToken.None));
    }
}
