using SandboxAgents.Git;

namespace SandboxAgents.Runs.RepositoryConfig;

/// <summary>
/// Pins a run's base (the default branch's head, or for an iteration its pull request's head) and reads the
/// repository's <c>.github/sandbox-agents.yml</c> at the default branch's head, never at a pull request's head or the
/// agent's branch (which the agent wrote), merging it into the run's settings. Done
/// while the run is still queued, so a bad file fails it before any sandbox exists.
/// </summary>
public sealed class RunBasePreparation(IRepositoryMirror mirror, RunSettingsResolver resolver)
{
    /// <summary>Null when the run may go on; else why it must fail (<c>file:line:column: what</c>).</summary>
    public async Task<string?> PrepareAsync(IssueKey issue, RunRecord run, CancellationToken cancellationToken)
    {
        var start = run.IteratesOn is null
            ? await mirror.PrepareAsync(issue, run.RunId, cancellationToken)
            : await mirror.PrepareOnBranchAsync(issue, run.RunId, run.Branch, cancellationToken);
        var file = await mirror.ReadFileAsync(issue, start.SettingsCommit, RepositoryConfigFile.Path, RepositoryConfigFile.MaxBytes, cancellationToken);
        (run.BaseBranch, run.BaseCommit) = (start.Branch, start.Commit);
        if (file is null) return null;

        var parse = file.TooLarge ? RepositorySettingsParser.TooLarge() : RepositorySettingsParser.Parse(file.Text!);
        if (parse.Problem is { } problem) return problem.Describe(RepositoryConfigFile.Path);

        var asked = parse.Settings!;
        var source = RepositoryConfigFile.SourceAt(start.SettingsCommit);
        var merged = resolver.Merge(run.Settings, asked, source, run.RequestedModel);
        run.StoredSettings = merged.Settings;
        if (asked.BranchPrefix is { } prefix && run.IteratesOn is null) run.Branch = RunIdentity.Branch(issue, run.RunId, prefix);
        run.SettingsNote = merged.Lowered.Count == 0 ? $"settings from {source}" : $"settings from {source}: {string.Join("; ", merged.Lowered)}";
        return null;
    }
}
