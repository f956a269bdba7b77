namespace SandboxAgents.Git;

/// <summary>
/// What the service accepts from a sandbox: a git bundle no larger than the limit, naming exactly the run's branch,
/// whose prerequisites the mirror has, whose objects pass git's checks, and whose tip descends from the run's base.
/// Anything else is refused with a permanent <see cref="GitException"/> that says why.
/// </summary>
internal static class ChangeBundleCheck
{
    /// <summary>Fetches the bundle's branch into the run's tip ref and returns the tip commit.</summary>
    public static async Task<string> FetchAsync(string mirror, ChangeRequest change, ScratchFile bundle, long maxBytes, CancellationToken cancellationToken)
    {
        if (bundle.Length > maxBytes)
            Refuse($"the bundle of changes is {Megabytes(bundle.Length)} MB, more than the {Megabytes(maxBytes)} MB allowed (Git:MaxChangesBytes)");

        var heads = await GitCommand.RunAsync(mirror, ["bundle", "list-heads", bundle.Path], null, cancellationToken, throwOnFailure: false);
        if (heads.ExitCode != 0) Refuse($"it is not a git bundle ({heads.Reason})");
        var expected = $"refs/heads/{change.Branch}";
        var names = heads.Lines.Select(l => l.Split(' ', 2) is [_, var name] ? name : l).ToList();
        if (names is not [var only] || only != expected)
            Refuse($"it must hold exactly {expected}, but holds {(names.Count == 0 ? "nothing" : string.Join(", ", names.Take(5)))}");

        var verify = await GitCommand.RunAsync(mirror, ["bundle", "verify", "--quiet", bundle.Path], null, cancellationToken, throwOnFailure: false);
        if (verify.ExitCode != 0) Refuse($"it does not apply to the run's base ({verify.Reason})");

        var tipRef = RunRefs.Tip(change.RunId);
        var fetch = await GitCommand.RunAsync(mirror,
            ["-c", "fetch.fsckObjects=true", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", bundle.Path, $"+{expected}:{tipRef}"],
            null, cancellationToken, throwOnFailure: false);
        if (fetch.ExitCode != 0) Refuse($"its objects were refused ({fetch.Reason})");

        var tip = await RepositoryMirror.RevParseAsync(mirror, $"{tipRef}^{{commit}}", cancellationToken);
        var descends = await GitCommand.RunAsync(mirror, ["merge-base", "--is-ancestor", change.BaseCommit, tip], null, cancellationToken, throwOnFailure: false);
        if (descends.ExitCode != 0) Refuse($"its branch does not descend from the run's base commit {change.BaseCommit[..Math.Min(12, change.BaseCommit.Length)]}");
        return tip;
    }

    private static long Megabytes(long bytes) => (bytes + (1024 * 1024) - 1) / (1024 * 1024);

    private static void Refuse(string reason) =>
        throw new GitException($"The agent's changes were refused: {reason}.", permanent: true);
}
