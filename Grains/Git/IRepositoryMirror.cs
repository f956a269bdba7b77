namespace SandboxAgents.Git;

/// <summary>
/// The service's own copy of each repository: the only git that talks to GitHub, with the service's credentials. A
/// sandbox is given a bundle of its run's base commit and hands back a bundle of its changes; the mirror checks that
/// bundle and pushes the run's branch itself, so no credential ever enters a sandbox.
/// </summary>
public interface IRepositoryMirror
{
    /// <summary>
    /// Fetches the repository's default branch and pins its head as the run's base. Calling it again for the same run
    /// fetches again and may move the pin: callers store the answer and call it once per run.
    /// </summary>
    Task<RunBase> PrepareAsync(IssueKey issue, string runId, CancellationToken cancellationToken);

    /// <summary>
    /// For an iteration on the agent's pull request: fetches the default branch and <paramref name="branch"/>, and pins
    /// the branch's head as the run's base. The answer names the default branch, the branch's head, and the default
    /// branch's head (where the repository's settings are read: never from a branch the agent wrote).
    /// </summary>
    /// <exception cref="GitException">Permanent when the branch no longer exists.</exception>
    Task<RunBase> PrepareOnBranchAsync(IssueKey issue, string runId, string branch, CancellationToken cancellationToken);

    /// <summary>
    /// The regular file at <paramref name="path"/> in <paramref name="commit"/>, a commit the mirror holds (a run's
    /// prepared base); null when the commit has no such file (or only a folder or link by that name). A file larger
    /// than <paramref name="maxBytes"/> is not read: its <see cref="CommittedFile.Text"/> is null.
    /// </summary>
    Task<CommittedFile?> ReadFileAsync(IssueKey issue, string commit, string path, int maxBytes, CancellationToken cancellationToken);

    /// <summary>Writes a bundle of the run's pinned base commit into <paramref name="file"/>. Safe to repeat.</summary>
    Task WriteBaseBundleAsync(IssueKey issue, string runId, ScratchFile file, CancellationToken cancellationToken);

    /// <summary>
    /// Checks the sandbox's bundle (only the run's branch, descending from the run's base, objects well formed),
    /// makes the run's one commit from its final tree and pushes it to the run's branch. Repeating it after a crash
    /// pushes the same commit again, which changes nothing. Refused changes throw a permanent <see cref="GitException"/>.
    /// </summary>
    Task<PublishedChange> PublishAsync(IssueKey issue, ChangeRequest change, ScratchFile bundle, CancellationToken cancellationToken);

    /// <summary>Drops what the mirror keeps for a run that has ended. Idempotent.</summary>
    Task ForgetRunAsync(IssueKey issue, string runId, CancellationToken cancellationToken);

    /// <summary>A temporary file beside the mirrors, deleted when disposed.</summary>
    ScratchFile CreateScratchFile();
}

/// <summary>
/// Where a run starts: the default branch's name and the commit the run starts from, which is the default branch's
/// head unless the run iterates on a branch (<paramref name="DefaultHead"/> is then the default branch's head).
/// </summary>
public sealed record RunBase(string Branch, string Commit, string? DefaultHead = null)
{
    /// <summary>The commit the repository's settings file is read at: always the default branch's head.</summary>
    public string SettingsCommit => DefaultHead ?? Commit;
}

/// <summary>A file as a commit holds it: its size, and its text unless it was too large to read.</summary>
public sealed record CommittedFile(long Size, string? Text)
{
    public bool TooLarge => Text is null;
}

/// <summary>
/// What a run wants published. <paramref name="Date"/> and <paramref name="Author"/> are fixed per run so that a
/// repeated publish makes the same commit; no author means <see cref="GitOptions.AuthorName"/> or its default.
/// </summary>
public sealed record ChangeRequest(string RunId, string Branch, string BaseCommit, string Message, DateTimeOffset Date, CommitAuthor? Author = null);

/// <summary>The name and address a commit is authored and committed by.</summary>
public sealed record CommitAuthor(string Name, string Email);

/// <summary>The commit pushed to the run's branch, or none when the changes added up to no difference.</summary>
public sealed record PublishedChange(string? Commit)
{
    public bool HasChanges => Commit is not null;
}
