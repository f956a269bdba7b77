using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using SandboxAgents.Git;

namespace SandboxAgents.Tests.Fakes;

/// <summary>
/// A repository mirror for grain tests: every repository's default branch is <c>main</c> at a fixed commit; a publish
/// records the bundle it was handed and answers with a commit derived from the request, as the real mirror's
/// deterministic commit would be. Faults can be injected.
/// </summary>
public sealed class FakeRepositoryMirror : IRepositoryMirror
{
    public const string BaseCommit = "1111111111111111111111111111111111111111";
    private readonly string _scratch = Directory.CreateTempSubdirectory("fake-mirror-").FullName;
    private int _prepareFailures;

    /// <summary>Published changes: the request and the bundle's text, in order.</summary>
    public ConcurrentQueue<(IssueKey Issue, ChangeRequest Change, string Bundle)> Published { get; } = new();

    public ConcurrentQueue<string> Forgotten { get; } = new();

    /// <summary>When set, publishing refuses the changes with this reason, as a bundle that fails the checks would be.</summary>
    public string? RefuseWith { get; set; }

    /// <summary>
    /// Files of an issue's repository at its base commit, for <see cref="ReadFileAsync"/>. An issue with files starts
    /// from a commit of its own, so a read at <see cref="BaseCommit"/> never sees them.
    /// </summary>
    public ConcurrentDictionary<(IssueKey Issue, string Path), string> Files { get; } = new();

    /// <summary>The base commit of an issue whose repository has <see cref="Files"/>.</summary>
    public static string BaseCommitWithFiles(IssueKey issue) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"files of {issue}")))[..40];

    public ConcurrentQueue<(IssueKey Issue, string Commit, string Path)> FilesRead { get; } = new();

    public void FailNextPrepares(int count) => Interlocked.Exchange(ref _prepareFailures, count);

    public Task<RunBase> PrepareAsync(IssueKey issue, string runId, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _prepareFailures) >= 0
            ? throw new GitException("injected fetch failure")
            : Task.FromResult(new RunBase("main", Files.Keys.Any(k => k.Issue == issue) ? BaseCommitWithFiles(issue) : BaseCommit));

    /// <summary>Branch heads as the remote has them: each publish moves its branch; a test moves one to play a human's push.</summary>
    public ConcurrentDictionary<(IssueKey Issue, string Branch), string> BranchHeads { get; } = new();

    /// <summary>Called after each push with the issue, the branch and the commit (a test's fake GitHub moves the pull request's head here).</summary>
    public Action<IssueKey, string, string>? BranchPushed { get; set; }

    /// <summary>Iterations prepared on a branch, in order: the run, the branch and the head it was pinned at.</summary>
    public ConcurrentQueue<(string RunId, string Branch, string Head)> PreparedOnBranch { get; } = new();

    public Task<RunBase> PrepareOnBranchAsync(IssueKey issue, string runId, string branch, CancellationToken cancellationToken)
    {
        if (!BranchHeads.TryGetValue((issue, branch), out var head)) throw new GitException($"The branch {branch} no longer exists on {issue.RepositoryFullName}.", permanent: true);
        PreparedOnBranch.Enqueue((runId, branch, head));
        var defaultHead = Files.Keys.Any(k => k.Issue == issue) ? BaseCommitWithFiles(issue) : BaseCommit;
        return Task.FromResult(new RunBase("main", head, defaultHead));
    }

    public Task<CommittedFile?> ReadFileAsync(IssueKey issue, string commit, string path, int maxBytes, CancellationToken cancellationToken)
    {
        FilesRead.Enqueue((issue, commit, path));
        if (commit != BaseCommitWithFiles(issue) || !Files.TryGetValue((issue, path), out var text)) return Task.FromResult<CommittedFile?>(null);
        var size = Encoding.UTF8.GetByteCount(text);
        return Task.FromResult<CommittedFile?>(new CommittedFile(size, size > maxBytes ? null : text));
    }

    public Task WriteBaseBundleAsync(IssueKey issue, string runId, ScratchFile file, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(file.Path, $"base bundle of {issue} for {runId}", cancellationToken);

    public async Task<PublishedChange> PublishAsync(IssueKey issue, ChangeRequest change, ScratchFile bundle, CancellationToken cancellationToken)
    {
        if (RefuseWith is { } reason) throw new GitException($"The agent's changes were refused: {reason}.", permanent: true);
        Published.Enqueue((issue, change, await File.ReadAllTextAsync(bundle.Path, cancellationToken)));
        var commit = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{change.RunId}|{change.Branch}|{change.Date:O}")))[..40];
        BranchHeads[(issue, change.Branch)] = commit;
        BranchPushed?.Invoke(issue, change.Branch, commit);
        return new PublishedChange(commit);
    }

    public Task ForgetRunAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        Forgotten.Enqueue(runId);
        return Task.CompletedTask;
    }

    public ScratchFile CreateScratchFile() => new(Path.Combine(_scratch, Path.GetRandomFileName()));
}
