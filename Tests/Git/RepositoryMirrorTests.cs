using SandboxAgents.Git;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Git;

/// <summary>The service's own git against real repositories: what goes into a sandbox, and what it accepts back.</summary>
public sealed class RepositoryMirrorTests : IDisposable
{
    private readonly MirrorWorld _world = new();

    public void Dispose() => _world.Dispose();

    private Task<RunBase> PrepareAsync(string runId = MirrorWorld.RunId) => _world.Mirror.PrepareAsync(MirrorWorld.Issue, runId, CancellationToken.None);

    private Task<PublishedChange> PublishAsync(ChangeRequest change, ScratchFile bundle) =>
        _world.Mirror.PublishAsync(MirrorWorld.Issue, change, bundle, CancellationToken.None);

    [Fact]
    public async Task Prepare_FreshMirror_PinsTheDefaultBranchHead()
    {
        var start = await PrepareAsync();

        Assert.Equal(("main", _world.RemoteGit("rev-parse", "main")), (start.Branch, start.Commit));
        Assert.Equal(start.Commit, BareRepository.Git(_world.MirrorPath, "rev-parse", $"refs/sandbox-agents/runs/{MirrorWorld.RunId}/base").Trim());
    }

    [Fact]
    public async Task Prepare_AfterTheDefaultBranchMoved_FetchesItAndLeavesEarlierRunsPinned()
    {
        var first = await PrepareAsync("run1");
        var seed = Path.Combine(_world.Root, "seed");
        BareRepository.Git(_world.Root, "clone", "--quiet", _world.Remote.Path, seed);
        MirrorWorld.Commit(seed, "NEWS.md", "news\n");
        BareRepository.Git(seed, "push", "--quiet", "origin", "HEAD:main");

        var second = await PrepareAsync("run2");

        Assert.NotEqual(first.Commit, second.Commit);
        Assert.Equal(_world.RemoteGit("rev-parse", "main"), second.Commit);
        Assert.Equal(first.Commit, BareRepository.Git(_world.MirrorPath, "rev-parse", "refs/sandbox-agents/runs/run1/base").Trim());
    }

    [Fact]
    public async Task Prepare_EmptyRepository_FailsPermanently()
    {
        BareRepository.Git(_world.Root, "init", "--quiet", "--bare", Path.Combine(_world.Root, "github", "octo", "empty.git"));

        var error = await Assert.ThrowsAsync<GitException>(() =>
            _world.Mirror.PrepareAsync(new IssueKey("octo", "empty", 1), MirrorWorld.RunId, CancellationToken.None));

        Assert.True(error.IsPermanent);
        Assert.Contains("no default branch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteBaseBundle_ClonesToTheBaseCommitWithNothingElse()
    {
        var start = await PrepareAsync();

        var work = await _world.CheckoutBaseAsync();

        Assert.Equal(start.Commit, BareRepository.Git(work, "rev-parse", "HEAD").Trim());
        Assert.Contains("Teh widgets", await File.ReadAllTextAsync(Path.Combine(work, "README.md")));
        Assert.Equal("", BareRepository.Git(work, "remote").Trim());
    }

    [Fact]
    public async Task Publish_GoodBundle_PushesOneCommitOfTheFinalTreeOnTheBase()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n", "Fixes #999 and cc @someone");
        MirrorWorld.Commit(work, "b.txt", "two\n");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);

        var published = await PublishAsync(MirrorWorld.Change(start.Commit), bundle);

        Assert.True(published.HasChanges);
        Assert.Equal(published.Commit, _world.RemoteGit("rev-parse", MirrorWorld.Branch));
        Assert.Equal(start.Commit, _world.RemoteGit("rev-parse", MirrorWorld.Branch + "^"));
        Assert.Equal("1", _world.RemoteGit("rev-list", "--count", $"main..{MirrorWorld.Branch}"));
        Assert.Equal("sandbox-agent|sandbox-agent@users.noreply.github.com|Agent changes for issue #7|1796126400",
            _world.RemoteGit("log", "-1", "--format=%an|%ae|%s|%at", MirrorWorld.Branch));
        Assert.Equal(BareRepository.Git(work, "rev-parse", "HEAD^{tree}").Trim(), _world.RemoteGit("rev-parse", MirrorWorld.Branch + "^{tree}"));
        Assert.Equal([MirrorWorld.Branch, "main"], _world.Remote.Branches().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_Repeated_PushesTheSameCommitAndChangesNothing()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);

        var first = await PublishAsync(MirrorWorld.Change(start.Commit), bundle);
        var again = await PublishAsync(MirrorWorld.Change(start.Commit), bundle);

        Assert.Equal(first.Commit, again.Commit);
        Assert.Equal(first.Commit, _world.RemoteGit("rev-parse", MirrorWorld.Branch));
    }

    [Fact]
    public async Task Publish_BranchTakenByOtherCommits_IsRefusedPermanently()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);
        var seed = Path.Combine(_world.Root, "seed");
        BareRepository.Git(_world.Root, "clone", "--quiet", _world.Remote.Path, seed);
        MirrorWorld.Commit(seed, "someone.txt", "else\n");
        BareRepository.Git(seed, "push", "--quiet", "origin", $"HEAD:refs/heads/{MirrorWorld.Branch}");
        var theirs = _world.RemoteGit("rev-parse", MirrorWorld.Branch);

        var error = await Assert.ThrowsAsync<GitException>(() => PublishAsync(MirrorWorld.Change(start.Commit), bundle));

        Assert.True(error.IsPermanent);
        Assert.Equal(theirs, _world.RemoteGit("rev-parse", MirrorWorld.Branch));
    }

    [Fact]
    public async Task Publish_CommitsThatChangeNothing_PushNothing()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        BareRepository.Git(work, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "--quiet", "--allow-empty", "-m", "empty");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);

        var published = await PublishAsync(MirrorWorld.Change(start.Commit), bundle);

        Assert.False(published.HasChanges);
        Assert.Equal(["main"], _world.Remote.Branches());
    }

    public static TheoryData<string> RefusedBundles => new()
    {
        "other-branch", "extra-ref", "tag", "unrelated-history", "missing-prerequisite", "not-a-bundle", "main-itself",
    };

    [Theory]
    [MemberData(nameof(RefusedBundles))]
    public async Task Publish_BundleThatIsNotJustTheRunsBranchOnItsBase_IsRefusedAndNothingIsPushed(string kind)
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n");
        using var bundle = kind switch
        {
            "other-branch" => PackAs(work, "refs/heads/agent/elsewhere", start.Commit),
            "extra-ref" => ExtraRef(work, start.Commit),
            "tag" => Tagged(work, start.Commit),
            "unrelated-history" => Unrelated(),
            "missing-prerequisite" => MissingPrerequisite(work),
            "not-a-bundle" => NotABundle(),
            "main-itself" => PackAs(work, "refs/heads/main", start.Commit),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var error = await Assert.ThrowsAsync<GitException>(() => PublishAsync(MirrorWorld.Change(start.Commit), bundle));

        Assert.True(error.IsPermanent, error.Message);
        Assert.StartsWith("The agent's changes were refused: ", error.Message);
        Assert.Equal(["main"], _world.Remote.Branches());
        Assert.Equal(start.Commit, _world.RemoteGit("rev-parse", "main"));
        Assert.Equal("", _world.RemoteGit("tag"));
    }

    [Fact]
    public async Task Publish_BundleOverTheLimit_IsRefusedBeforeGitReadsIt()
    {
        using var small = new MirrorWorld(maxChangesBytes: 1024);
        var start = await small.Mirror.PrepareAsync(MirrorWorld.Issue, MirrorWorld.RunId, CancellationToken.None);
        var work = await small.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "big.bin", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192)));
        using var bundle = small.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);

        var error = await Assert.ThrowsAsync<GitException>(() => small.Mirror.PublishAsync(MirrorWorld.Issue, MirrorWorld.Change(start.Commit), bundle, CancellationToken.None));

        Assert.Contains("more than the 1 MB allowed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["main"], small.Remote.Branches());
    }

    [Fact]
    public async Task Mirror_AfterPrepareAndPublish_HoldsNoTokenAndNoHooks()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);
        await PublishAsync(MirrorWorld.Change(start.Commit), bundle);

        var files = Directory.EnumerateFiles(_world.MirrorPath, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, f => f.Contains("/hooks/", StringComparison.Ordinal));
        Assert.DoesNotContain("ghp_MirrorTestToken", await File.ReadAllTextAsync(Path.Combine(_world.MirrorPath, "config")), StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_MirrorTestToken", _world.Remote.Config(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgetRun_DropsTheRunsRefs()
    {
        var start = await PrepareAsync();
        var work = await _world.CheckoutBaseAsync();
        MirrorWorld.Commit(work, "a.txt", "one\n");
        using var bundle = _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "^" + start.Commit);
        await PublishAsync(MirrorWorld.Change(start.Commit), bundle);

        await _world.Mirror.ForgetRunAsync(MirrorWorld.Issue, MirrorWorld.RunId, CancellationToken.None);
        await _world.Mirror.ForgetRunAsync(MirrorWorld.Issue, MirrorWorld.RunId, CancellationToken.None);

        Assert.Equal("", BareRepository.Git(_world.MirrorPath, "for-each-ref", "refs/sandbox-agents/").Trim());
    }

    private ScratchFile PackAs(string work, string reference, string baseCommit)
    {
        BareRepository.Git(work, "update-ref", reference, "HEAD");
        return _world.Pack(work, reference, "^" + baseCommit);
    }

    private ScratchFile ExtraRef(string work, string baseCommit)
    {
        BareRepository.Git(work, "branch", "also-this");
        return _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "refs/heads/also-this", "^" + baseCommit);
    }

    private ScratchFile Tagged(string work, string baseCommit)
    {
        BareRepository.Git(work, "tag", "v9");
        return _world.Pack(work, $"refs/heads/{MirrorWorld.Branch}", "refs/tags/v9", "^" + baseCommit);
    }

    private ScratchFile Unrelated()
    {
        var other = Path.Combine(_world.Root, "unrelated");
        BareRepository.Git(_world.Root, "init", "--quiet", "--initial-branch=main", other);
        MirrorWorld.Commit(other, "x.txt", "x\n");
        BareRepository.Git(other, "checkout", "--quiet", "-b", MirrorWorld.Branch);
        return _world.Pack(other, $"refs/heads/{MirrorWorld.Branch}");
    }

    private ScratchFile MissingPrerequisite(string work)
    {
        var unknown = Path.Combine(_world.Root, "unknown");
        BareRepository.Git(_world.Root, "clone", "--quiet", work, unknown);
        MirrorWorld.Commit(unknown, "y.txt", "y\n");
        var middle = BareRepository.Git(unknown, "rev-parse", "HEAD").Trim();
        MirrorWorld.Commit(unknown, "z.txt", "z\n");
        BareRepository.Git(unknown, "update-ref", $"refs/heads/{MirrorWorld.Branch}", "HEAD");
        return _world.Pack(unknown, $"refs/heads/{MirrorWorld.Branch}", "^" + middle);
    }

    private ScratchFile NotABundle()
    {
        var file = _world.Mirror.CreateScratchFile();
        File.WriteAllText(file.Path, "# v2 git bundle\nthis is not one\n");
        return file;
    }
}
