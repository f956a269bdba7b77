using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SandboxAgents.Git;
using SandboxAgents.GitHub;
using SandboxAgents.Tests.EndToEnd;

namespace SandboxAgents.Tests.Git;

/// <summary>
/// A real "GitHub" (bare repositories under a folder, reached as <c>file://</c>) and a <see cref="RepositoryMirror"/>
/// over it in a temp folder, plus a helper that does what a sandbox's runner does: clone the base bundle, commit,
/// and pack a bundle of changes.
/// </summary>
public sealed class MirrorWorld : IDisposable
{
    public static readonly IssueKey Issue = new("octo", "widgets", 7);
    public const string RunId = "a1b2c3d4e5f6";
    public const string Branch = "agent/issue-7-a1b2c3d4";

    public MirrorWorld(long maxChangesBytes = 100L * 1024 * 1024)
    {
        Root = Directory.CreateTempSubdirectory("mirror-tests-").FullName;
        Remote = BareRepository.Create(Path.Combine(Root, "github"), "octo", "widgets");
        var git = new GitOptions { MirrorPath = Path.Combine(Root, "mirrors"), MaxChangesBytes = maxChangesBytes };
        var gitHub = Options.Create(new GitHubOptions { GitUrl = new Uri(Path.Combine(Root, "github") + "/").AbsoluteUri, Token = "ghp_MirrorTestToken0123456789abcdefghij" });
        Mirror = new RepositoryMirror(Options.Create(git), new GitRemotes(gitHub, new PersonalAccessToken(gitHub, new GitHubApi(gitHub))), NullLogger<RepositoryMirror>.Instance);
    }

    public string Root { get; }

    public BareRepository Remote { get; }

    public RepositoryMirror Mirror { get; }

    public string MirrorPath => Path.Combine(Root, "mirrors", "octo", "widgets.git");

    public static ChangeRequest Change(string baseCommit, string runId = RunId, string branch = Branch) =>
        new(runId, branch, baseCommit, "Agent changes for issue #7", new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Clones the run's base bundle into a working copy, as the runner does.</summary>
    public async Task<string> CheckoutBaseAsync(string runId = RunId, string branch = Branch)
    {
        using var bundle = Mirror.CreateScratchFile();
        await Mirror.WriteBaseBundleAsync(Issue, runId, bundle, CancellationToken.None);
        var work = Path.Combine(Root, "work-" + Guid.NewGuid().ToString("N")[..8]);
        var head = BareRepository.Git(Root, "bundle", "list-heads", bundle.Path).Trim().Split(' ')[1];
        BareRepository.Git(Root, "init", "--quiet", "--initial-branch=main", work);
        BareRepository.Git(work, "fetch", "--quiet", "--update-head-ok", bundle.Path, $"{head}:refs/heads/main");
        BareRepository.Git(work, "checkout", "--quiet", "-b", branch, "main");
        return work;
    }

    public static void Commit(string work, string file, string content, string message = "change")
    {
        File.WriteAllText(Path.Combine(work, file), content);
        BareRepository.Git(work, "add", "-A");
        BareRepository.Git(work, "-c", "user.name=Agent", "-c", "user.email=agent@example.com", "commit", "--quiet", "-m", message);
    }

    /// <summary>Packs <paramref name="revisions"/> into a scratch bundle, as the runner packs its branch.</summary>
    public ScratchFile Pack(string work, params string[] revisions)
    {
        var bundle = Mirror.CreateScratchFile();
        BareRepository.Git(work, ["bundle", "create", "--quiet", bundle.Path, .. revisions]);
        return bundle;
    }

    public string RemoteGit(params string[] arguments) => BareRepository.Git(Remote.Path, arguments).Trim();

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
