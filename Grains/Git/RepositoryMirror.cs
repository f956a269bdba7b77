using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Git;

/// <summary>
/// <see cref="IRepositoryMirror"/> as bare repositories under <see cref="GitOptions.MirrorPath"/>, one per GitHub
/// repository, fetched incrementally. Everything a run pins lives under <c>refs/sandbox-agents/runs/{runId}/</c>.
/// One operation at a time per repository (git's own locks would otherwise make concurrent runs fail).
/// </summary>
public sealed partial class RepositoryMirror(
    IOptions<GitOptions> options,
    GitRemotes remotes,
    ILogger<RepositoryMirror> logger) : IRepositoryMirror
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    private string Root => options.Value.MirrorPath ?? throw new InvalidOperationException("Git:MirrorPath is not set.");

    public async Task<RunBase> PrepareAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(issue, cancellationToken);
        var (mirror, branch, commit) = await FetchDefaultBranchAsync(issue, runId, cancellationToken);
        await GitCommand.RunAsync(mirror, ["update-ref", RunRefs.Base(runId), commit], null, cancellationToken);
        LogPrepared(logger, issue, runId, branch, commit);
        return new RunBase(branch, commit);
    }

    public async Task<RunBase> PrepareOnBranchAsync(IssueKey issue, string runId, string branch, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(issue, cancellationToken);
        var (mirror, defaultBranch, defaultHead) = await FetchDefaultBranchAsync(issue, runId, cancellationToken);
        var remote = await remotes.ForAsync(issue, runId, cancellationToken);
        var fetch = await GitCommand.RunAsync(mirror,
            ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote.Url, $"+refs/heads/{branch}:refs/heads/{branch}"],
            remote.Environment, cancellationToken, throwOnFailure: false);
        if (fetch.ExitCode != 0)
        {
            var gone = fetch.Errors.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase);
            throw new GitException(gone ? $"The branch {branch} no longer exists on {issue.RepositoryFullName}." : $"Fetching {branch} failed: {fetch.Reason}", permanent: gone);
        }

        var head = await RevParseAsync(mirror, $"refs/heads/{branch}^{{commit}}", cancellationToken);
        await GitCommand.RunAsync(mirror, ["update-ref", RunRefs.Base(runId), head], null, cancellationToken);
        LogPrepared(logger, issue, runId, branch, head);
        return new RunBase(defaultBranch, head, defaultHead);
    }

    /// <summary>Fetches the repository's default branch into the mirror: the mirror, the branch's name and its head.</summary>
    private async Task<(string Mirror, string Branch, string Head)> FetchDefaultBranchAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        var mirror = await EnsureAsync(issue, cancellationToken);
        var remote = await remotes.ForAsync(issue, runId, cancellationToken);
        var head = await GitCommand.RunAsync(mirror, ["ls-remote", "--symref", remote.Url, "HEAD"], remote.Environment, cancellationToken);
        var branch = DefaultBranch(head)
            ?? throw new GitException($"{issue.RepositoryFullName} has no default branch with commits to work from.", permanent: true);
        await GitCommand.RunAsync(mirror,
            ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote.Url, $"+refs/heads/{branch}:refs/heads/{branch}"],
            remote.Environment, cancellationToken);
        return (mirror, branch, await RevParseAsync(mirror, $"refs/heads/{branch}^{{commit}}", cancellationToken));
    }

    public async Task<CommittedFile?> ReadFileAsync(IssueKey issue, string commit, string path, int maxBytes, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(issue, cancellationToken);
        var mirror = await EnsureAsync(issue, cancellationToken);
        await RevParseAsync(mirror, $"{commit}^{{commit}}", cancellationToken); // a commit the mirror lacks is a fault, not a missing file
        // "100644 blob <sha>     <size>\t<path>", or nothing when the commit has no such path.
        var entry = (await GitCommand.RunAsync(mirror, ["ls-tree", "-l", "--full-tree", commit, "--", path], null, cancellationToken)).Lines
            .Select(line => line.Split('\t', 2))
            .FirstOrDefault(parts => parts.Length == 2 && parts[1] == path)?[0]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (entry is not [("100644" or "100755"), "blob", var blob, var sizeText] || !long.TryParse(sizeText, System.Globalization.CultureInfo.InvariantCulture, out var size))
            return null;
        if (size > maxBytes) return new CommittedFile(size, null);
        var content = await GitCommand.RunAsync(mirror, ["cat-file", "blob", blob], null, cancellationToken);
        return new CommittedFile(size, content.Output);
    }

    public async Task WriteBaseBundleAsync(IssueKey issue, string runId, ScratchFile file, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(issue, cancellationToken);
        var mirror = await EnsureAsync(issue, cancellationToken);
        await GitCommand.RunAsync(mirror, ["bundle", "create", "--quiet", file.Path, RunRefs.Base(runId)], null, cancellationToken);
    }

    public async Task<PublishedChange> PublishAsync(IssueKey issue, ChangeRequest change, ScratchFile bundle, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(issue, cancellationToken);
        var mirror = await EnsureAsync(issue, cancellationToken);
        var tip = await ChangeBundleCheck.FetchAsync(mirror, change, bundle, options.Value.MaxChangesBytes, cancellationToken);
        var tree = await RevParseAsync(mirror, $"{tip}^{{tree}}", cancellationToken);
        if (tree == await RevParseAsync(mirror, $"{change.BaseCommit}^{{tree}}", cancellationToken))
            return new PublishedChange(null);

        var commit = (await GitCommand.RunAsync(mirror, ["commit-tree", tree, "-p", change.BaseCommit, "-m", change.Message],
            Identity(change.Author, change.Date), cancellationToken)).Output.Trim();
        await GitCommand.RunAsync(mirror, ["update-ref", RunRefs.Commit(change.RunId), commit], null, cancellationToken);

        var remote = await remotes.ForAsync(issue, change.RunId, cancellationToken);
        var push = await GitCommand.RunAsync(mirror,
            ["push", "--porcelain", "--no-verify", remote.Url, $"{commit}:refs/heads/{change.Branch}"],
            remote.Environment, cancellationToken, throwOnFailure: false);
        if (push.ExitCode != 0)
        {
            var rejected = push.Output.Contains("[rejected]", StringComparison.Ordinal) || push.Output.Contains("[remote rejected]", StringComparison.Ordinal);
            throw new GitException($"Pushing {change.Branch} failed: {push.Reason}", permanent: rejected);
        }

        LogPublished(logger, issue, change.RunId, change.Branch, commit);
        return new PublishedChange(commit);
    }

    public async Task ForgetRunAsync(IssueKey issue, string runId, CancellationToken cancellationToken)
    {
        var mirror = PathOf(issue);
        if (!Directory.Exists(mirror)) return;
        using var held = await LockAsync(issue, cancellationToken);
        foreach (var reference in RunRefs.All(runId))
            await GitCommand.RunAsync(mirror, ["update-ref", "-d", reference], null, cancellationToken, throwOnFailure: false);
    }

    public ScratchFile CreateScratchFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Root, ".scratch")).FullName;
        return new ScratchFile(Path.Combine(folder, Path.GetRandomFileName()));
    }

    private async Task<string> EnsureAsync(IssueKey issue, CancellationToken cancellationToken)
    {
        var mirror = PathOf(issue);
        if (File.Exists(Path.Combine(mirror, "HEAD"))) return mirror;
        Directory.CreateDirectory(mirror);
        await GitCommand.RunAsync(mirror, ["init", "--quiet", "--bare", "--template=", mirror], null, cancellationToken);
        return mirror;
    }

    private string PathOf(IssueKey issue) => Path.Combine(Root, issue.Owner, issue.Repository + ".git");

    private async Task<IDisposable> LockAsync(IssueKey issue, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(issue.RepositoryFullName, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    internal static async Task<string> RevParseAsync(string mirror, string revision, CancellationToken cancellationToken) =>
        (await GitCommand.RunAsync(mirror, ["rev-parse", "--verify", "--quiet", revision], null, cancellationToken)).Output.Trim();

    /// <summary>The branch HEAD names in <c>git ls-remote --symref</c>'s answer (<c>ref: refs/heads/main	HEAD</c>).</summary>
    private static string? DefaultBranch(GitOutput lsRemote)
    {
        const string prefix = "ref: refs/heads/";
        var line = lsRemote.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.EndsWith("\tHEAD", StringComparison.Ordinal));
        var hasCommit = lsRemote.Lines.Any(l => !l.StartsWith("ref:", StringComparison.Ordinal) && l.EndsWith("\tHEAD", StringComparison.Ordinal));
        return line is null || !hasCommit ? null : line[prefix.Length..^"\tHEAD".Length];
    }

    private Dictionary<string, string> Identity(CommitAuthor? author, DateTimeOffset date)
    {
        var name = author?.Name ?? options.Value.AuthorName ?? GitOptions.DefaultAuthorName;
        var email = author?.Email ?? options.Value.AuthorEmail ?? GitOptions.DefaultAuthorEmail;
        var when = date.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + " +0000";
        return new()
        {
            ["GIT_AUTHOR_NAME"] = name,
            ["GIT_AUTHOR_EMAIL"] = email,
            ["GIT_AUTHOR_DATE"] = when,
            ["GIT_COMMITTER_NAME"] = name,
            ["GIT_COMMITTER_EMAIL"] = email,
            ["GIT_COMMITTER_DATE"] = when,
        };
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} starts from {Branch} at {Commit}")]
    private static partial void LogPrepared(ILogger logger, IssueKey issue, string runId, string branch, string commit);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Issue}: run {RunId} pushed {Commit} to {Branch}")]
    private static partial void LogPublished(ILogger logger, IssueKey issue, string runId, string branch, string commit);
}
